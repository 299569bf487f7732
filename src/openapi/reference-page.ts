import type { Hono } from 'hono'
import type { AppEnv } from '../http/app-env'

/** The files of the reference page (Swagger UI, the npm package `swagger-ui-dist`). */
export const DOCS_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const
export type DocsFile = (typeof DOCS_FILES)[number]

/**
 * Reads a file of `swagger-ui-dist` (Node: from the installed package, once). Without it (the
 * Worker doesn't carry 1.9 MB of page assets) the page loads the same version's files from
 * jsDelivr, pinned and checked by Subresource Integrity.
 */
export type DocsAssets = (file: DocsFile) => Promise<string>

/** The installed `swagger-ui-dist` (a test holds these equal to the package's version and files). */
export const SWAGGER_UI_VERSION = '5.35.0'
export const SWAGGER_UI_INTEGRITY: Record<DocsFile, string> = {
  'swagger-ui-bundle.js': 'sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9',
  'swagger-ui.css': 'sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I',
}
const CDN = `https://cdn.jsdelivr.net/npm/swagger-ui-dist@${SWAGGER_UI_VERSION}`

// No inline script: the page's CSP allows scripts of its own origin (and the pinned CDN files).
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true })\n`

function page(local: boolean): string {
  const src = (file: DocsFile) =>
    local
      ? `/docs/${file}`
      : `${CDN}/${file}" integrity="${SWAGGER_UI_INTEGRITY[file]}" crossorigin="anonymous`
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Bridgekeeper API</title>
    <link rel="stylesheet" href="${src('swagger-ui.css')}" />
  </head>
  <body>
    <div id="reference"><noscript>The reference needs JavaScript; the document is at /openapi.json.</noscript></div>
    <script src="${src('swagger-ui-bundle.js')}"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`
}

function contentSecurityPolicy(local: boolean): string {
  const assets = local ? "'self'" : `'self' https://cdn.jsdelivr.net`
  return [
    "default-src 'none'",
    `script-src ${assets}`,
    // Swagger UI sets element styles from script at run time.
    `style-src ${assets} 'unsafe-inline'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
}

const TYPES: Record<DocsFile, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
}

/**
 * GET /docs, the API reference page (Swagger UI over /openapi.json), with its script and styles
 * served by the bridge itself when the runtime provides them, so the page renders with no
 * internet and runs nothing from elsewhere on the API's origin, where a cookie-signed-in user's
 * credentials are usable. Its CSP allows its own origin only (and, without local files, the
 * pinned and integrity-checked CDN files).
 */
export function referenceRoutes(app: Hono<AppEnv>, assets: DocsAssets | undefined): void {
  const local = assets !== undefined
  const html = page(local)
  const csp = contentSecurityPolicy(local)
  app.get('/docs', (c) =>
    c.html(html, 200, { 'Content-Security-Policy': csp, 'Cache-Control': 'public, max-age=300' }),
  )
  app.get('/docs/init.js', (c) =>
    c.body(INIT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
    }),
  )
  if (!assets) return
  for (const file of DOCS_FILES)
    app.get(`/docs/${file}`, async (c) =>
      c.body(await assets(file), 200, {
        'Content-Type': TYPES[file],
        // The file changes only with the package's version, which the page's URL doesn't carry.
        'Cache-Control': 'public, max-age=3600',
      }),
    )
}
