import { AuditTrail, type AuditSink } from '../audit/audit-trail'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import { cursorCodec } from '../data/cursor'
import { dataService } from '../data/data-service'
import { bindResource, type BoundResourceDefinition } from '../data/resource'
import type { FetchLike } from '../http/bounded-fetch'
import { createAuthenticator } from '../identity/authenticator'
import { createDevIssuer } from '../identity/dev-issuer'
import { jwtCredentialVerifier } from '../identity/jwt-verifier'
import { createLockout } from '../identity/lockout'
import { notBeforeRecords } from '../identity/not-before'
import { createUpstreamVerifier } from '../identity/upstream/upstream-verifier'
import type { CredentialVerifier } from '../identity/verifier'
import type { JwsSigner } from '../keys/jws'
import type { KeyProvider } from '../keys/key-provider'
import type { Logger } from '../observability/logger'
import { noMetrics, type Metrics } from '../observability/metrics'
import type { Tracing } from '../observability/tracing'
import type { DocsAssets } from '../openapi/reference-page'
import type { RevocationHook } from '../sessions/revocation-hook'
import { rotationSecrets } from '../sessions/rotation-secret'
import { createSessionService } from '../sessions/session-service'
import { sessionCredentialVerifier } from '../sessions/session-verifier'
import { outageWatchedStore } from '../store/outage-watch'
import type { Store } from '../store/types'
import { createMinting } from '../tokens/minting'
import type { TokenTemplate } from '../tokens/template'
import type { IdentityWebhook } from '../webhooks/identity-webhook'
import { instrumentation } from './instrumentation'
import { namespacesOf } from './startup-checks'

/** What the engine is built from: the checked configuration, the runtime's parts, the adapters'. */
export type EngineParts = {
  config: Config
  clock: Clock
  logger: Logger
  store: Store
  keys: KeyProvider
  sign: JwsSigner
  templates: TokenTemplate[]
  resources: BoundResourceDefinition[]
  webhooks: IdentityWebhook[]
  /** Adapters' links of the authenticator chain, between sessions and upstream JWTs. */
  verifiers: CredentialVerifier[]
  onSessionsRevoked: RevocationHook | undefined
  auditSink: AuditSink | undefined
  fetch: FetchLike | undefined
  metrics: Metrics | undefined
  tracing: Tracing | undefined
  demoClient: string | undefined
  docsAssets: DocsAssets | undefined
}

export type Engine = ReturnType<typeof createEngine>

/**
 * Builds every service of the bridge once, from parts start-up has already checked
 * (assemble.ts): the store (instrumented when metrics or tracing are on), the audit trail,
 * sessions, lockout, the authenticator chain, minting, and a data service per resource. Route
 * modules (route-modules.ts) take the members they use. Pure: no I/O until a request arrives.
 */
export function createEngine(parts: EngineParts) {
  const { config, clock, logger, keys, templates, webhooks } = parts
  const instrument = instrumentation(parts.metrics, parts.tracing)
  const metrics = parts.metrics ?? noMetrics
  const store = instrument.store(outageWatchedStore(parts.store, logger, clock))
  instrument.watchKeys(keys, clock)
  const audit = new AuditTrail(clock, parts.auditSink)
  const namespaces = namespacesOf(config)
  const notBefore = notBeforeRecords({
    store: store.notBefore,
    clock,
    maxTokenLifetimeSeconds: config.upstream.maxTokenLifetimeSeconds,
  })

  const sessions = createSessionService({
    store,
    clock,
    config: config.sessions,
    rotation: rotationSecrets(config.cursorSecret),
    audit,
    notBefore,
    onRevoked: parts.onSessionsRevoked,
    metrics,
  })
  const devIssuer =
    config.mode === 'development' ? createDevIssuer(config.publicUrl, clock, namespaces) : undefined
  const upstream = createUpstreamVerifier({
    issuers: config.upstream.issuers,
    timeoutMs: config.upstream.jwksTimeoutMs,
    cooldownMs: config.upstream.jwksCooldownMs,
    maxTokenBytes: config.upstream.maxTokenBytes,
    clock,
    logger,
    fetch: instrument.fetch(parts.fetch),
    namespaces,
    maxLifetimeSeconds: config.upstream.maxTokenLifetimeSeconds,
  })
  // The authenticator chain: the bridge's own sessions, adapters' links (each claims only its own
  // credentials), then JWTs of the known issuers, which claim whatever is left.
  const auth = createAuthenticator({
    config,
    lockout: createLockout({ store, clock, ...config.authFailures }),
    verifiers: [
      sessionCredentialVerifier(sessions),
      ...parts.verifiers,
      jwtCredentialVerifier({
        issuers: [upstream, ...(devIssuer ? [devIssuer] : [])].map(instrument.verifier),
        maxTokenBytes: config.upstream.maxTokenBytes,
        cookieName: config.upstream.cookieName,
        clock,
        notBefore,
      }),
    ],
  })
  const minting = createMinting({
    config,
    clock,
    store,
    keys,
    templates,
    sign: instrument.signer(parts.sign),
    metrics,
    audit,
  })
  const cursors = cursorCodec(config.cursorSecret)
  const dataServices = parts.resources.map((definition) =>
    dataService(instrument.resource(bindResource(definition, { store, clock, logger, metrics })), {
      cursors,
      store,
      clock,
      metrics,
      audit,
    }),
  )

  return {
    config,
    clock,
    logger,
    store,
    keys,
    metrics,
    tracing: parts.tracing,
    audit,
    namespaces,
    sessions,
    auth,
    devIssuer,
    minting,
    templates,
    webhooks,
    dataServices,
    demoClient: parts.demoClient,
    docsAssets: parts.docsAssets,
  }
}
