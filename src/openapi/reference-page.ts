import type { Handler } from 'hono'
import type { AppEnv } from '../http/app-env'

/**
 * The API reference page (Scalar). Its script is pinned to one version and checked by Subresource
 * Integrity, so a changed or compromised CDN file never runs on the API's origin, where a
 * cookie-signed-in user's credentials are usable; the page's own Content-Security-Policy allows
 * only that script, Scalar's fonts, and requests back to the bridge.
 */
const SCALAR_VERSION = '1.46.4'
const SCALAR_SCRIPT = `https://cdn.jsdelivr.net/npm/@scalar/api-reference@${SCALAR_VERSION}/dist/browser/standalone.js`
/** sha384 of that file, as published in the npm package (the CDN serves the package's files). */
const SCALAR_INTEGRITY = 'sha384-BbTs28WithFYxTDCiH0YPK5tv3MflhBVpABoMjfb9UqXa/hegSE9I4THoddKejMF'

const REFERENCE_PAGE_CSP = [
  "default-src 'none'",
  'script-src https://cdn.jsdelivr.net',
  // Scalar sets styles from script at run time.
  "style-src 'unsafe-inline'",
  'font-src https://fonts.scalar.com',
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Bridgekeeper API</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json"></script>
    <script src="${SCALAR_SCRIPT}" integrity="${SCALAR_INTEGRITY}" crossorigin="anonymous"></script>
  </body>
</html>
`

export const referencePage: Handler<AppEnv> = (c) =>
  c.html(PAGE, 200, {
    'Content-Security-Policy': REFERENCE_PAGE_CSP,
    'Cache-Control': 'public, max-age=300',
  })
