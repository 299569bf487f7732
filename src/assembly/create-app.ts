import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../http/app-env'
import { errorHandler } from '../http/error-handler'
import { notFoundOrNotAllowed } from '../http/method-not-allowed'
import { developmentHosts } from '../http/development-hosts'
import { edge } from '../http/edge'
import { jsonBodies } from '../http/json-bodies'
import { cors } from '../http/cors'
import { originAllowed } from '../http/origins'
import { requestContext, type SocketAddress } from '../http/request-context'
import { securityHeaders } from '../http/security-headers'
import type { NativeHeaders } from '../http/base-headers'
import { validationHook } from '../http/validation'
import { describeApi } from '../openapi/document'
import type { Engine } from './engine'
import type { RouteModule } from './route-modules'

/** How the runtime serves requests: what the edge middleware needs from it. */
export type Edge = {
  /** The peer address of the connection, as the runtime knows it. */
  socketAddress: SocketAddress
  /** The runtime serves HTTP/1.1 itself (Node's server): see http/json-bodies.ts. */
  http1: boolean
  /** Node: headers set on its ServerResponse (see http/base-headers.ts). */
  nativeHeaders: NativeHeaders | undefined
}

/**
 * The Hono app: the edge middleware around every request, the route modules mounted in order,
 * the OpenAPI document and the error handlers. Everything else is the engine's (engine.ts).
 */
export function createApp(engine: Engine, modules: readonly RouteModule[], edgeOf: Edge) {
  const { config } = engine
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  if (engine.tracing) app.use(engine.tracing.middleware)
  // Around every request, as one middleware: its context and access-log line, the security
  // headers, CORS (a preflight is answered here).
  app.use(
    edge([
      requestContext({
        ...edgeOf,
        logger: engine.logger,
        clock: engine.clock,
        trustProxy: config.trustProxy,
        https: config.publicUrl.startsWith('https://'),
        metrics: engine.metrics,
        audit: engine.audit,
      }),
      ...(config.mode === 'development' ? [developmentHosts(config.publicUrl)] : []),
      securityHeaders({ hsts: true }),
      cors({
        allowed: (origin) => originAllowed(config, origin),
        allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
        allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
        exposeHeaders: ['X-Request-Id', 'Retry-After', 'WWW-Authenticate', 'ETag'],
        maxAgeSeconds: 600,
      }),
    ]),
  )
  app.use(jsonBodies({ maxBytes: config.bodyLimitBytes }))
  for (const routes of modules.map((module) => module(engine))) if (routes) app.route('/', routes)
  describeApi(app, config, engine.docsAssets)
  app.onError(errorHandler({ revealReasons: config.mode === 'development' }))
  // A path without a route for this method: 404, or 405 with Allow when it has other methods.
  app.notFound(notFoundOrNotAllowed(app.routes))
  return app
}

export type App = ReturnType<typeof createApp>
