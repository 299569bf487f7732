import type { OpenAPIHono } from '@hono/zod-openapi'
import packageJson from '../../package.json'
import type { Config } from '../config/config'
import type { AppEnv } from '../http/app-env'
import { referenceRoutes, type DocsAssets } from './reference-page'

/**
 * The API description: the security schemes the routes name, GET /openapi.json (OpenAPI 3.1,
 * from the routes' own schemas) and GET /docs, the reference page that renders it.
 */
export function describeApi(
  app: OpenAPIHono<AppEnv>,
  config: Config,
  docsAssets: DocsAssets | undefined,
): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An upstream identity-provider JWT, or a Bridgekeeper session secret (bks_…)',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-bk_session',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'upstreamCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: config.upstream.cookieName,
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminKey', {
    type: 'http',
    scheme: 'bearer',
  })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Bridgekeeper',
      version: packageJson.version,
      description:
        'Provider tokens (Hasura, Firebase, JWT templates) and per-row data policies for signed-in users.',
    },
    servers: [{ url: config.publicUrl }],
  })
  referenceRoutes(app, docsAssets)
}
