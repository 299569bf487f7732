import { OpenAPIHono } from '@hono/zod-openapi'
import packageJson from '../../package.json'
import type { AppEnv } from '../http/app-env'
import type { Clock } from '../clock'
import { ConfigError, type Config } from '../config/config'
import { adminRoutes } from '../admin/routes'
import { healthRoutes } from '../health/routes'
import { createAuthenticator } from '../identity/authenticator'
import { createDevIssuer, devIssuerOf } from '../identity/dev-issuer'
import { userNamespaces } from '../identity/namespaces'
import { createLockout } from '../identity/lockout'
import { devRoutes, identityRoutes } from '../identity/routes'
import { jwtCredentialVerifier } from '../identity/jwt-verifier'
import { createUpstreamVerifier, type TokenVerifier } from '../identity/upstream/upstream-verifier'
import type { FetchLike } from '../http/bounded-fetch'
import { bindRevocationHook, type RevocationHook } from '../sessions/revocation-hook'
import { sessionRoutes } from '../sessions/routes'
import { rotationSecrets } from '../sessions/rotation-secret'
import { createSessionService } from '../sessions/session-service'
import { sessionCredentialVerifier } from '../sessions/session-verifier'
import { onError } from '../http/error-handler'
import { notFoundOrNotAllowed } from '../http/method-not-allowed'
import { edge } from '../http/edge'
import { jsonBodies } from '../http/json-bodies'
import { cors } from '../http/cors'
import { originAllowed } from '../http/origins'
import { requestContext, type SocketAddress } from '../http/request-context'
import { securityHeaders } from '../http/security-headers'
import type { NativeHeaders } from '../http/base-headers'
import { validationHook } from '../http/validation'
import { jwsSigner, type JwsSigner } from '../keys/jws'
import type { KeyProvider } from '../keys/key-provider'
import { keyRoutes } from '../keys/routes'
import { checkTemplates, type TokenTemplate } from '../tokens/template'
import { tokenRoutes } from '../tokens/routes'
import { webhookRoutes } from '../tokens/webhook-routes'
import type { IdentityWebhook } from '../webhooks/identity-webhook'
import { webhookReceiverRoutes } from '../webhooks/routes'
import { bindResource, resourceProblems, type ResourceDefinition } from '../data/resource'
import { cursorCodec } from '../data/cursor'
import { dataRoutes } from '../data/routes'
import { demoRoutes } from '../demo/routes'
import type { Logger } from '../log/logger'
import { AuditTrail, type AuditSink } from '../audit/audit-trail'
import { noMetrics, type Metrics } from '../log/metrics'
import { metricsRoute } from '../health/metrics-route'
import { referencePage } from '../openapi/reference-page'
import type { Store } from '../store/types'
import type { Tracing } from '../log/tracing'
import { tracedResource, tracedSigner, tracedVerifier } from './traced'
import { instrumentedStore } from '../store/instrumented-store'
import { activeKeyAge } from '../keys/key-age'
import { countedFetch } from '../http/bounded-fetch'

/** Everything the app needs from its runtime. The Node and Workers entries build this. */
export type AppDeps = {
  config: Config
  store: Store
  clock: Clock
  logger: Logger
  /** Signing keys for minted tokens (see keys/key-source.ts). */
  keys: KeyProvider
  /** Token templates declared in adapter modules (Hasura, Firebase, JWT templates). */
  templates: TokenTemplate[]
  /** Data resources and their policies, declared in adapter modules. */
  resources?: ResourceDefinition[]
  /** Identity-provider webhooks (Clerk, Standard Webhooks), declared in adapter modules. */
  webhooks?: IdentityWebhook[]
  /** The peer address of the connection, as the runtime knows it. */
  socketAddress?: SocketAddress
  /** Runs after sessions are revoked (Node: optional Firebase refresh-token revocation). */
  onSessionsRevoked?: RevocationHook
  /** Outbound fetch for JWKS and discovery; defaults to the global fetch. */
  fetch?: FetchLike
  /** The built browser client (dist/client.js): development mode then serves the demo page. */
  demoClient?: string
  /** The runtime serves HTTP/1.1 itself (Node's server): see http/json-bodies.ts. */
  http1?: boolean
  /** Node: headers set on its ServerResponse (see http/base-headers.ts). */
  nativeHeaders?: NativeHeaders
  /** What the engine counts (Node: prom-client); default: nothing. */
  metrics?: Metrics
  /** Signs minted tokens; defaults to WebCrypto (the Node entry passes node:crypto). */
  sign?: JwsSigner
  /** Spans around requests, store calls, signing, upstream verification and backend calls. */
  tracing?: Tracing
  /** Where audit events are kept besides the log (Node: a Redis Stream with AUDIT_STREAM). */
  auditSink?: AuditSink
}

/** Builds the bridge. Pure: no I/O happens until a request arrives. */
export function createApp(deps: AppDeps) {
  const { config, clock, logger } = deps
  const definitions = deps.resources ?? []
  const problems = [
    ...checkTemplates(deps.templates, config.keys.maxTokenLifetimeSeconds),
    ...definitions.flatMap(resourceProblems),
  ]
  const names = definitions.map((d) => d.name)
  for (const name of new Set(names))
    if (names.filter((n) => n === name).length > 1)
      problems.push(`resource "${name}": defined twice`)
  const namespaces = userNamespaces({
    upstream: config.upstream.issuers,
    devIssuer: config.mode === 'development' ? devIssuerOf(config.publicUrl) : undefined,
    bridgeIssuer: config.publicUrl,
  })
  problems.push(...namespaces.problems)
  for (const hook of deps.webhooks ?? [])
    if (!namespaces.of(hook.issuer))
      problems.push(
        `webhook "${hook.provider}": its issuer ${hook.issuer} is not one of UPSTREAM_ISSUERS`,
      )
  if (problems.length > 0) throw new ConfigError(problems)
  const metrics = deps.metrics ?? noMetrics
  const tracing = deps.tracing
  // With metrics on, every store call is timed (bridgekeeper_store_call_duration_seconds).
  const sign = deps.sign ?? jwsSigner()
  const store =
    deps.metrics || tracing ? instrumentedStore(deps.store, metrics, tracing) : deps.store
  if (deps.metrics) deps.metrics.watchKeyAge(activeKeyAge(deps.keys, clock))
  const resources = definitions.map((definition) => {
    const resource = bindResource(definition, { store, clock, logger, metrics })
    return tracing ? tracedResource(resource, tracing) : resource
  })
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  const audit = new AuditTrail(clock, deps.auditSink)

  if (tracing) app.use(tracing.middleware)
  // Around every request, as one middleware: its context and access-log line, the security
  // headers, CORS (a preflight is answered here).
  app.use(
    edge([
      requestContext({
        logger,
        clock,
        trustProxy: config.trustProxy,
        socketAddress: deps.socketAddress ?? (() => undefined),
        https: config.publicUrl.startsWith('https://'),
        http1: deps.http1 ?? false,
        nativeHeaders: deps.nativeHeaders,
        metrics,
        audit,
      }),
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

  const onRevoked = bindRevocationHook(deps.onSessionsRevoked, { store, clock })
  const sessions = createSessionService({
    store,
    clock,
    config: config.sessions,
    rotation: rotationSecrets(config.cursorSecret),
    metrics,
  })
  const lockout = createLockout({ store, clock, ...config.authFailures })
  const issuers: TokenVerifier[] = [
    createUpstreamVerifier({
      issuers: config.upstream.issuers,
      timeoutMs: config.upstream.jwksTimeoutMs,
      cooldownMs: config.upstream.jwksCooldownMs,
      maxTokenBytes: config.upstream.maxTokenBytes,
      clock,
      logger,
      fetch: deps.metrics
        ? countedFetch(deps.fetch ?? ((input, init) => fetch(input, init)), deps.metrics)
        : deps.fetch,
      namespaces,
    }),
  ]
  const devIssuer =
    config.mode === 'development' ? createDevIssuer(config.publicUrl, clock, namespaces) : undefined
  if (devIssuer) issuers.push(devIssuer)
  const verifiers = tracing ? issuers.map((v) => tracedVerifier(v, tracing)) : issuers
  // The authenticator chain: the bridge's own sessions first, then JWTs of the known issuers.
  const auth = createAuthenticator({
    config,
    lockout,
    verifiers: [
      sessionCredentialVerifier(sessions),
      jwtCredentialVerifier({
        issuers: verifiers,
        maxTokenBytes: config.upstream.maxTokenBytes,
        cookieName: config.upstream.cookieName,
        clock,
      }),
    ],
  })

  app.route('/', healthRoutes(store))
  app.route('/', identityRoutes(auth))
  app.route('/', sessionRoutes({ config, clock, sessions, auth, onRevoked }))
  app.route(
    '/',
    adminRoutes({ config, sessions, keys: deps.keys, auth, onRevoked, namespaces, audit }),
  )
  app.route('/', keyRoutes({ config, keys: deps.keys }))
  app.route(
    '/',
    tokenRoutes({
      config,
      clock,
      store,
      keys: deps.keys,
      templates: deps.templates,
      auth,
      sign: tracing ? tracedSigner(sign, tracing) : sign,
      metrics,
    }),
  )
  app.route('/', webhookRoutes({ clock, templates: deps.templates, auth }))
  app.route(
    '/',
    webhookReceiverRoutes({
      webhooks: deps.webhooks ?? [],
      namespaces,
      sessions,
      store,
      clock,
      onRevoked,
    }),
  )
  const cursors = cursorCodec(config.cursorSecret)
  app.route('/', dataRoutes({ config, clock, store, resources, auth, cursors, metrics }))
  app.route('/', metricsRoute({ token: config.metricsToken, metrics }))
  if (devIssuer) app.route('/', devRoutes(devIssuer))
  if (devIssuer && deps.demoClient) app.route('/', demoRoutes(deps.demoClient))

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
  app.get('/docs', referencePage)

  app.onError(onError)
  // A path without a route for this method: 404, or 405 with Allow when it has other methods.
  app.notFound(notFoundOrNotAllowed(app.routes))
  return app
}

export type App = ReturnType<typeof createApp>
