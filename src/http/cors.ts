import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env'

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
export function cors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const methods = options.allowMethods.join(', ')
  const requestHeaders = options.allowHeaders.join(', ')
  const exposed = options.exposeHeaders.join(', ')
  const maxAge = String(options.maxAgeSeconds)
  return async function cors(c, next) {
    const origin = c.req.header('origin')
    const allowed = origin !== undefined && options.allowed(origin)
    if (c.req.method === 'OPTIONS') {
      const headers = new Headers({ Vary: 'Origin' })
      if (allowed) {
        headers.set('Access-Control-Allow-Origin', origin)
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
      base.set('Access-Control-Allow-Origin', origin)
      base.set('Access-Control-Allow-Credentials', 'true')
      base.set('Access-Control-Expose-Headers', exposed)
    }
    await next()
    if (base.native) return
    // A handler that returned its own Response: add what it lacks.
    const headers = c.res.headers
    if (allowed && !headers.has('Access-Control-Allow-Origin')) {
      headers.set('Access-Control-Allow-Origin', origin)
      headers.set('Access-Control-Allow-Credentials', 'true')
      headers.set('Access-Control-Expose-Headers', exposed)
    }
    if (!headers.has('Vary')) headers.set('Vary', 'Origin')
  }
}
