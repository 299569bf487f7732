import type { EdgeStep } from './edge'

const API_CSP = "default-src 'none'; frame-ancestors 'none'"
const HSTS = 'max-age=63072000; includeSubDomains'
/** Set on every response; a route may choose its own `Cache-Control` and CSP. */
const ALWAYS = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Resource-Policy', 'same-site'],
] as const
const DEFAULTS = [
  ['Cache-Control', 'no-store'],
  // API responses are data, never a document to render: nothing loads, nothing frames them.
  ['Content-Security-Policy', API_CSP],
] as const

/**
 * Security headers on every response (SECURITY.md, "Browsers"). API responses are `no-store` unless
 * a route chose its own caching (the JWKS is public and cacheable on purpose), and carry a CSP
 * that loads nothing unless a page set its own. The headers are prepared before the handler
 * runs (base-headers.ts), so a route's `c.header(…)` overrides a default and the response is built
 * once; a Response a handler built itself gets the missing ones afterwards.
 */
export function securityHeaders(options: { hsts: boolean }): EdgeStep {
  return {
    before(c) {
      const base = c.get('baseHeaders')
      for (const [name, value] of ALWAYS) base.set(name, value)
      for (const [name, value] of DEFAULTS) base.set(name, value)
      if (options.hsts && c.get('https')) base.set('Strict-Transport-Security', HSTS)
      return undefined
    },
    after(c) {
      if (c.get('baseHeaders').native) return
      const hsts = options.hsts && c.get('https')
      const headers = c.res.headers
      if (headers.has(ALWAYS[0][0])) return
      for (const [name, value] of ALWAYS) headers.set(name, value)
      for (const [name, value] of DEFAULTS) if (!headers.has(name)) headers.set(name, value)
      if (hsts) headers.set('Strict-Transport-Security', HSTS)
    },
  }
}
