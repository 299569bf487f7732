import type { JWK } from 'jose'
import type { DocsAssets } from '../openapi/reference-page'
import { createApp, type App } from './create-app'
import { createEngine } from './engine'
import { routeModules } from './route-modules'
import {
  contributionProblems,
  definitionProblems,
  remoteStoreProblems,
  storeProblems,
  STORE_REQUIRED,
} from './startup-checks'
import { systemClock, type Clock } from '../clock'
import { ConfigError, parseConfig, type Config, type Mode, type TrustProxy } from '../config/config'
import { parseEnvSection, type Environment } from '../config/env-section'
import { withDriver, type BoundResourceDefinition, type Driver } from '../data/resource'
import type { FetchLike } from '../http/bounded-fetch'
import type { SocketAddress } from '../http/request-context'
import type { NativeHeaders } from '../http/base-headers'
import { jwsSigner, type SignatureFunction } from '../keys/jws'
import type { KeyProvider } from '../keys/key-provider'
import { createKeyProvider } from '../keys/key-source'
import { createLogger, type Logger } from '../observability/logger'
import type { Metrics } from '../observability/metrics'
import type { Tracing } from '../observability/tracing'
import type { RevocationHook } from '../sessions/revocation-hook'
import { createMemoryStore } from '../store/memory-store'
import type { Store } from '../store/types'
import type { TokenTemplate } from '../tokens/template'
import type { AdapterContext, AdapterModule, Contribution, RuntimeName } from './adapter'

/** What a runtime entry knows and has; everything else the assembly decides. */
export type RuntimeCapabilities = {
  name: RuntimeName
  /** process.env on Node; the bindings object on Workers. */
  env: Environment
  /** The adapter modules this runtime can load (adapters/node.ts or adapters/workers.ts). */
  adapters: readonly AdapterModule[]
  /** Mode when neither BRIDGE_MODE nor NODE_ENV says. */
  defaultMode: Mode
  /** Where the client address comes from when TRUST_PROXY is unset. */
  defaultTrustProxy?: TrustProxy
  /** The peer address of a request's connection. */
  socketAddress: SocketAddress
  /** A shared store of the platform (a Durable Object), used when no adapter contributes one. */
  platformStore?: Store
  /** Development keys when no key is configured (Node: a git-ignored file; Workers: per isolate). */
  developmentKeys?: () => Promise<{ keys: JWK[] }>
  /** Node: a writable folder for embedded development data. */
  dataDir?: string
  clock?: Clock
  /** Where log lines go (default: the console). */
  logSink?: (line: string) => void
  /** Outbound fetch for upstream JWKS and discovery documents. */
  fetch?: FetchLike
  /** The built browser client, for the development demo page (Node reads dist/client.js). */
  demoClient?: string
  /** The API reference page's files (Node reads them from swagger-ui-dist). */
  docsAssets?: DocsAssets
  /** What the engine counts (Node: prom-client, served at /metrics with METRICS_TOKEN). */
  metrics?: Metrics
  /** Spans (Node: OpenTelemetry, when an SDK is registered). */
  tracing?: Tracing
  /** Requests reach this process over HTTP/1.1 from its own server (Node's http module). */
  http1?: boolean
  /** The runtime's own response, where per-response headers are set most cheaply (Node). */
  nativeHeaders?: NativeHeaders
  /** The platform's fastest correct signature (Node: node:crypto); default WebCrypto. */
  signature?: SignatureFunction
  /** The CLI's inspections (`doctor`): managed keys are read, never written back. */
  readOnlyKeys?: boolean
  /** Tests and benchmarks: use this store or key provider whatever the environment says. */
  store?: Store
  keys?: KeyProvider
}

export type Bridge = {
  app: App
  config: Config
  store: Store
  keys: KeyProvider
  logger: Logger
  clock: Clock
  /** The resources served: those whose backend is set up. */
  resources: BoundResourceDefinition[]
  templates: TokenTemplate[]
  /** Start-up banner lines: what each adapter serves, and what is off and how to turn it on. */
  summary: string[]
  /** Closes what the adapters opened (store connections, database clients). */
  close(): Promise<void>
}

/**
 * The one place the bridge is put together, for every runtime, test and benchmark: reads the
 * configuration and each adapter's section of the environment, sets the configured adapters
 * up, picks the store and the signing keys, and builds the app. Every configuration problem
 * of every section is reported at once, in one ConfigError.
 */
export async function assembleBridge(runtime: RuntimeCapabilities): Promise<Bridge> {
  const clock = runtime.clock ?? systemClock
  const parsed = parseConfig(runtime.env, {
    defaultMode: runtime.defaultMode,
    defaultTrustProxy: runtime.defaultTrustProxy,
  })
  const sections = runtime.adapters.map((module) => ({
    module,
    env: parseEnvSection(module.env, runtime.env),
  }))
  const problems = [
    ...(parsed.ok ? [] : parsed.problems),
    ...sections.flatMap(({ env }) => (env.ok ? [] : env.problems)),
  ]
  // Without a core configuration no adapter can be set up; a section's own problems only skip
  // that adapter, so the rest still report theirs (and their definitions') below. The store rule
  // is known from the environment alone, so production lists every missing setting at once.
  if (!parsed.ok) {
    const storeConfigured =
      runtime.store !== undefined ||
      runtime.platformStore !== undefined ||
      sections.some(
        ({ module, env }) => env.ok && (module.storeLocation?.(env.value)?.hosts.length ?? 0) > 0,
      )
    if (parsed.mode === 'production' && !storeConfigured) problems.push(STORE_REQUIRED)
    throw new ConfigError(problems)
  }
  const config = parsed.config
  const logger = createLogger({ level: config.logLevel, clock, sink: runtime.logSink })
  const context: AdapterContext = {
    runtime: runtime.name,
    mode: config.mode,
    config,
    logger,
    bindings: runtime.env,
    dataDir: runtime.dataDir,
  }

  const contributions: Contribution[] = []
  const summary: string[] = []
  const closeAll = () =>
    Promise.allSettled(contributions.map(async (c) => c.close?.())).then(() => undefined)
  for (const { module, env } of sections) {
    if (!env.ok) continue
    if (module.enabled && !module.enabled(env.value, context)) {
      if (module.hint) summary.push(`${module.id}: off (${module.hint})`)
      continue
    }
    if (!module.runtimes.includes(runtime.name)) {
      problems.push(
        `${module.id}: configured, but it runs on ${module.runtimes.join(' and ')} only`,
      )
      continue
    }
    const storeRule = remoteStoreProblems(config, module.storeLocation?.(env.value))
    if (storeRule.length > 0) {
      problems.push(...storeRule)
      continue
    }
    try {
      const contribution = await module.setup(env.value, context)
      contributions.push(contribution)
      summary.push(...(contribution.summary ?? []).map((line) => `${module.id}: ${line}`))
    } catch (error) {
      if (!(error instanceof ConfigError)) {
        await closeAll()
        throw error
      }
      problems.push(...error.problems)
    }
  }

  const store =
    runtime.store ??
    contributions.find((c) => c.store)?.store ??
    runtime.platformStore ??
    createMemoryStore()
  problems.push(
    ...contributionProblems(contributions),
    ...storeProblems(config, store, runtime.store !== undefined),
    ...definitionProblems(config, contributions),
  )
  if (problems.length > 0) {
    await closeAll()
    throw new ConfigError(problems)
  }

  const drivers: Record<string, Driver> = {}
  for (const contribution of contributions) Object.assign(drivers, contribution.drivers)
  const resources: BoundResourceDefinition[] = []
  for (const definition of contributions.flatMap((c) => c.resources ?? [])) {
    const bound = withDriver(definition, drivers)
    if (bound) resources.push(bound)
    else
      summary.push(
        `${definition.name}: off (its ${(definition.backend as { driver: string }).driver} driver is not set up)`,
      )
  }
  const templates = contributions.flatMap((c) => c.templates ?? [])
  const hooks = contributions.flatMap((c) => (c.onSessionsRevoked ? [c.onSessionsRevoked] : []))
  try {
    const keys =
      runtime.keys ??
      (await createKeyProvider({
        config,
        store,
        clock,
        logger,
        developmentKeys: runtime.developmentKeys,
        readOnly: runtime.readOnlyKeys,
      }))
    const engine = createEngine({
      config,
      clock,
      logger,
      store,
      keys,
      sign: jwsSigner(runtime.signature),
      templates,
      resources,
      webhooks: contributions.flatMap((c) => c.webhooks ?? []),
      verifiers: contributions.flatMap((c) => c.verifiers ?? []),
      onSessionsRevoked: combineHooks(hooks),
      auditSink: contributions.find((c) => c.audit)?.audit,
      fetch: runtime.fetch,
      metrics: runtime.metrics,
      tracing: runtime.tracing,
      demoClient: runtime.demoClient,
      docsAssets: runtime.docsAssets,
    })
    const adapterRoutes = contributions.flatMap((c) => (c.routes ? [() => c.routes] : []))
    const app = createApp(engine, [...routeModules, ...adapterRoutes], {
      socketAddress: runtime.socketAddress,
      http1: runtime.http1 ?? false,
      nativeHeaders: runtime.nativeHeaders,
    })
    return {
      app,
      config,
      store,
      keys,
      logger,
      clock,
      resources,
      templates,
      summary,
      close: closeAll,
    }
  } catch (error) {
    await closeAll()
    throw error
  }
}

/** Every adapter's revocation hook runs; the first failure is reported (the runner logs it). */
function combineHooks(hooks: RevocationHook[]): RevocationHook | undefined {
  if (hooks.length <= 1) return hooks[0]
  return async (event, context) => {
    const results = await Promise.allSettled(hooks.map((hook) => hook(event, context)))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
  }
}
