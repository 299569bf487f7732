import type { EdgeStep } from './edge'

export type CorsOptions = {
  /** The exact-match origin check (see origins.ts). */
  allowed: (origin: string) => boolean
  allowMethods: string[]
  allowHeaders: string[]
  exposeHeaders: string[]
  maxAgeSeconds: number
}

/**
 * CORS for browser frontends on the allowed origins, with credentials (the session cookie).
 * The allowed origin is reflected, never `*`; every response varies on Origin. Headers are
 * prepared before the handler runs so the response is built once (Hono's own `cors()` writes to
 * `c.res` and makes every response be copied). A preflight is answered here with 204.
 */
export function cors(options: CorsOptions): EdgeStep {
  const methods = options.allowMethods.join(', ')
  const requestHeaders = options.allowHeaders.join(', ')
  const exposed = options.exposeHeaders.join(', ')
  const maxAge = String(options.maxAgeSeconds)
  // The request's origin when it is allowed, else undefined.
  const granted = (origin: string | undefined) =>
    origin !== undefined && options.allowed(origin) ? origin : undefined
  return {
    before(c) {
      const origin = c.req.header('origin')
      const allowed = granted(origin)
      if (c.req.method === 'OPTIONS') {
        const headers = new Headers({ Vary: 'Origin' })
        if (allowed) {
          headers.set('Access-Control-Allow-Origin', allowed)
          headers.set('Access-Control-Allow-Credentials', 'true')
          headers.set('Access-Control-Allow-Methods', methods)
          headers.set('Access-Control-Allow-Headers', requestHeaders)
          headers.set('Access-Control-Max-Age', maxAge)
        }
        return new Response(null, { status: 204, headers })
      }
      const base = c.get('baseHeaders')
      base.set('Vary', 'Origin')
      if (allowed) {
        base.set('Access-Control-Allow-Origin', allowed)
        base.set('Access-Control-Allow-Credentials', 'true')
        base.set('Access-Control-Expose-Headers', exposed)
      }
      return undefined
    },
    after(c) {
      // A preflight was answered whole; on Node the headers are on the server's response.
      if (c.req.method === 'OPTIONS' || c.get('baseHeaders').native) return
      // A handler that returned its own Response: add what it lacks.
      const allowed = granted(c.req.header('origin'))
      const headers = c.res.headers
      if (allowed && !headers.has('Access-Control-Allow-Origin')) {
        headers.set('Access-Control-Allow-Origin', allowed)
        headers.set('Access-Control-Allow-Credentials', 'true')
        headers.set('Access-Control-Expose-Headers', exposed)
      }
      if (!headers.has('Vary')) headers.set('Vary', 'Origin')
    },
  }
}
