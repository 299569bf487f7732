import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env'

/**
 * Security headers on every response (SECURITY.md, "Browsers"). API responses are `no-store` unless a
 * route chose its own caching (the JWKS is public and cacheable on purpose).
 */
export function securityHeaders(options: { hsts: boolean }): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    await next()
    const headers = c.res.headers
    headers.set('X-Content-Type-Options', 'nosniff')
    headers.set('Referrer-Policy', 'no-referrer')
    headers.set('X-Frame-Options', 'DENY')
    headers.set('Cross-Origin-Resource-Policy', 'same-site')
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store')
    // API responses are data, never a document to render: nothing loads, nothing frames them.
    // The one page (the API reference) sets its own policy.
    if (!headers.has('Content-Security-Policy'))
      headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'")
    if (options.hsts && c.var.https)
      headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains')
  }
}
