import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env'

const API_CSP = "default-src 'none'; frame-ancestors 'none'"
const HSTS = 'max-age=63072000; includeSubDomains'

/**
 * Security headers on every response (SECURITY.md, "Browsers"). API responses are `no-store` unless
 * a route chose its own caching (the JWKS is public and cacheable on purpose), and carry a CSP
 * that loads nothing unless a page set its own. The headers are prepared before the handler
 * runs, so a route's `c.header(…)` overrides a default and the response is built once; a
 * Response a handler built itself gets the missing ones afterwards.
 */
export function securityHeaders(options: { hsts: boolean }): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    const hsts = options.hsts && c.get('https')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Frame-Options', 'DENY')
    c.header('Cross-Origin-Resource-Policy', 'same-site')
    c.header('Cache-Control', 'no-store')
    c.header('Content-Security-Policy', API_CSP)
    if (hsts) c.header('Strict-Transport-Security', HSTS)
    await next()
    const headers = c.res.headers
    if (headers.has('X-Content-Type-Options')) return
    headers.set('X-Content-Type-Options', 'nosniff')
    headers.set('Referrer-Policy', 'no-referrer')
    headers.set('X-Frame-Options', 'DENY')
    headers.set('Cross-Origin-Resource-Policy', 'same-site')
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store')
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', API_CSP)
    if (hsts) headers.set('Strict-Transport-Security', HSTS)
  }
}
