import { CliFailure, type CliIo } from './io'

export type RemoteOptions = { url?: string; adminKeyStdin?: boolean }

/** The running bridge's base URL: --url, else BRIDGE_URL, else the development default. */
function baseUrl(io: CliIo, options: RemoteOptions): string {
  return (options.url ?? io.env.BRIDGE_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '')
}

/**
 * One call to a running bridge's API. A problem answer becomes a one-line failure with its code;
 * the admin key is sent only when `admin` is set, and never printed.
 */
export async function callBridge(
  io: CliIo,
  options: RemoteOptions,
  path: string,
  init: { method?: string; body?: unknown; admin?: boolean } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (init.admin) {
    // Never from the command line, where `ps` and shell history would show it.
    const key = options.adminKeyStdin ? (await io.stdin?.())?.trim() : io.env.ADMIN_API_KEY
    if (!key)
      throw new CliFailure(
        'the admin key is needed: set ADMIN_API_KEY or pipe it in with --admin-key-stdin',
      )
    headers.Authorization = `Bearer ${key}`
  }
  if (init.body !== undefined) headers['Content-Type'] = 'application/json'
  const url = `${baseUrl(io, options)}${path}`
  let response: Response
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(10_000),
    })
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : ''
    throw new CliFailure(`cannot reach ${url}${cause ? `: ${cause}` : ''}`)
  }
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON: reported below if the status is an error.
  }
  if (!response.ok) {
    const problem = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >
    const code = typeof problem.code === 'string' ? problem.code : `http_${response.status}`
    const detail =
      typeof problem.detail === 'string'
        ? problem.detail
        : typeof problem.title === 'string'
          ? problem.title
          : ''
    throw new CliFailure(`${response.status} ${code}${detail ? `: ${detail}` : ''}`)
  }
  return body
}
