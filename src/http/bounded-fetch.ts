/**
 * fetch for key and discovery documents (SECURITY.md, "Upstream JWTs"): a timeout, no redirects, and a cap on
 * the body size, so a slow or hostile issuer can neither hang nor flood the bridge.
 */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export function boundedFetch(options: {
  maxBytes: number
  timeoutMs: number
  fetch?: FetchLike
}): FetchLike {
  const inner: FetchLike = options.fetch ?? ((input, init) => fetch(input, init))
  return async function boundedFetch(input, init = {}) {
    const signal = init.signal ?? AbortSignal.timeout(options.timeoutMs)
    const response = await inner(input, { ...init, signal, redirect: 'manual' })
    const declared = Number(response.headers.get('content-length') ?? '0')
    if (declared > options.maxBytes) throw new Error('response body too large')
    if (!response.body) return response
    const reader = response.body.getReader()
    const chunks: Uint8Array[] = []
    let size = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > options.maxBytes) {
        await reader.cancel()
        throw new Error('response body too large')
      }
      chunks.push(value)
    }
    const body = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) {
      body.set(chunk, offset)
      offset += chunk.byteLength
    }
    return new Response(body, { status: response.status, headers: response.headers })
  }
}

/** Counts each fetch by outcome (an error or a non-2xx answer is an `error`). */
export function countedFetch(
  inner: FetchLike,
  metrics: { upstreamFetch(outcome: 'ok' | 'error'): void },
): FetchLike {
  return async function countedFetch(input, init) {
    try {
      const response = await inner(input, init)
      metrics.upstreamFetch(response.ok ? 'ok' : 'error')
      return response
    } catch (error) {
      metrics.upstreamFetch('error')
      throw error
    }
  }
}
