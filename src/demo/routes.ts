import { Hono } from 'hono'
import type { AppEnv } from '../http/app-env'
import { DEMO_PAGE, DEMO_SCRIPT } from './page'

const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

/**
 * Development mode only: a page that drives the bridge through bridgekeeper/client, to try it and
 * for the browser tests. `demoClient` is the built client (dist/client.js), which the runtime
 * provides; in production (no development issuer) these routes don't exist.
 */
export function demoRoutes(deps: { devIssuer: unknown; demoClient: string | undefined }) {
  const clientModule = deps.demoClient
  if (!deps.devIssuer || clientModule === undefined) return undefined
  const headers = { 'Content-Security-Policy': DEMO_CSP, 'Cache-Control': 'no-store' }
  const script = (body: string) =>
    new Response(body, {
      headers: { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' },
    })
  return new Hono<AppEnv>()
    .get('/demo', (c) => c.html(DEMO_PAGE, 200, headers))
    .get('/demo/client.js', () => script(clientModule))
    .get('/demo/app.js', () => script(DEMO_SCRIPT))
}
