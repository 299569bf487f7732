/**
 * A refusal from the bridge, from its `application/problem+json` body (RFC 9457): match on
 * `code`, which is stable; `title` and `detail` are for people.
 */
export class BridgeError extends Error {
  readonly field: string | undefined
  readonly requestId: string | undefined
  readonly retryAfterSeconds: number | undefined
  readonly detail: string | undefined
  readonly body: Record<string, unknown>

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    extra: {
      field?: string
      requestId?: string
      retryAfterSeconds?: number
      detail?: string
      body?: Record<string, unknown>
      cause?: unknown
    } = {},
  ) {
    super(message, { cause: extra.cause })
    this.name = 'BridgeError'
    this.field = extra.field
    this.requestId = extra.requestId
    this.retryAfterSeconds = extra.retryAfterSeconds
    this.detail = extra.detail
    this.body = extra.body ?? {}
  }
}

export async function problemOf(response: Response): Promise<BridgeError> {
  let body: Record<string, unknown> = {}
  try {
    body = (await response.json()) as Record<string, unknown>
  } catch {
    // not a problem document
  }
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined)
  const retryAfter = Number(response.headers.get('retry-after'))
  return new BridgeError(
    response.status,
    text('code') ?? `http_${response.status}`,
    // The actionable text first: "Set FIREBASE_SERVICE_ACCOUNT…" says more than "Not configured".
    text('detail') ?? text('title') ?? `The bridge answered ${response.status}`,
    {
      field: text('field'),
      requestId: text('requestId') ?? response.headers.get('x-request-id') ?? undefined,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      detail: text('detail'),
      body,
    },
  )
}
