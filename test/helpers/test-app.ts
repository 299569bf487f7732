import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { firebaseAdapter } from '../../adapters/firebase'
import { hasuraAdapter } from '../../adapters/hasura'
import * as appResources from '../../adapters/app/resources'
import * as appTemplates from '../../adapters/app/templates'
import { supabaseAdapter } from '../../adapters/supabase'
import { convexAdapter } from '../../adapters/convex'
import {
  defineAdapter,
  defineApp,
  type AdapterModule,
  type Contribution,
} from '../../src/assembly/adapter'
import { assembleBridge, type RuntimeCapabilities } from '../../src/assembly/assemble'
import { manualClock } from '../../src/clock'
import { nodeSignature } from '../../src/runtime/node/node-signature'
import { nodeNativeHeaders } from '../../src/runtime/node/native-headers'
import { prometheusMetrics } from '../../src/runtime/node/prometheus'
import { swaggerUiFiles } from '../../src/runtime/node/node-runtime'
import { staticKeys } from '../../src/keys/key-provider'
import type { TokenTemplate } from '../../src/tokens/template'
import { generateSigningJwk, importSigningKey, type SigningKey } from '../../src/keys/signing-key'

let sharedKey: Promise<SigningKey> | undefined

/** One RSA key per test process: generating 2048-bit keys is slow. */
export function testSigningKey(): Promise<SigningKey> {
  sharedKey ??= generateSigningJwk('RS256').then(importSigningKey)
  return sharedKey
}

/**
 * The token adapters every test bridge has, as on Node, with the deployment's templates (no
 * database: tests add their own resources, or `deploymentResources` with a driver).
 */
const TOKEN_ADAPTERS: readonly AdapterModule[] = [
  hasuraAdapter,
  firebaseAdapter,
  defineApp({ templates: Object.values(appTemplates) }),
  supabaseAdapter,
  convexAdapter,
]

/** The deployment's resources (adapters/app/resources.ts), served when a test adds their driver. */
export const deploymentResources = defineApp({ resources: Object.values(appResources) })

/** An adapter module that contributes what a test hands it (resources, templates, hooks). */
export function testAdapter(contribution: Contribution, id = 'test'): AdapterModule {
  return defineAdapter({ id, env: z.object({}), runtimes: ['node'], setup: () => contribution })
}

export type TestAppOptions = Partial<
  Pick<RuntimeCapabilities, 'store' | 'keys' | 'fetch' | 'adapters' | 'tracing'>
> & {
  /** Replaces the token adapters instead of adding to them. */
  onlyAdapters?: boolean
}
export type TestApp = Awaited<ReturnType<typeof makeTestApp>>

/**
 * A bridge built by the same assembly as `npm start`, over real parts (memory store unless one is
 * given), with a clock the test moves and the log lines captured.
 */
export async function makeTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}) {
  const logs: string[] = []
  const clock = manualClock(Date.now())
  // Development mode is asked for by name, as a developer with keys or issuers configured must.
  const mode = 'NODE_ENV' in env ? {} : { BRIDGE_MODE: 'development' }
  const fullEnv = { PUBLIC_URL: 'http://bridge.test', LOG_LEVEL: 'debug', ...mode, ...env }
  const configuredKeys = [
    'SIGNING_KEYS',
    'SIGNING_KEYS_PEM',
    'KEY_ENCRYPTION_KEY',
    'KEY_ENCRYPTION_KEYS',
  ].some((name) => name in env)
  const bridge = await assembleBridge({
    name: 'node',
    env: fullEnv,
    adapters: [...(options.onlyAdapters ? [] : TOKEN_ADAPTERS), ...(options.adapters ?? [])],
    defaultMode: 'development',
    socketAddress: () => undefined,
    clock,
    logSink: (line) => logs.push(line),
    store: options.store,
    keys: options.keys ?? (configuredKeys ? undefined : staticKeys([await testSigningKey()])),
    fetch: options.fetch,
    tracing: options.tracing,
    demoClient: builtClient(),
    docsAssets: swaggerUiFiles,
    // The Node runtime's signer, as `npm start` uses it (the Workers suites cover WebCrypto).
    signature: nodeSignature,
    // Served over real HTTP (serveApp), headers go on Node's ServerResponse as under `npm start`.
    nativeHeaders: nodeNativeHeaders,
    metrics: 'METRICS_TOKEN' in env ? prometheusMetrics() : undefined,
  })
  return { ...bridge, clock, logs }
}

/** A test bridge whose only templates are `templates` (no default Hasura or Firebase template). */
export function appWithTemplates(templates: TokenTemplate[], env: Record<string, string> = {}) {
  return makeTestApp(env, { onlyAdapters: true, adapters: [testAdapter({ templates })] })
}

/** The built browser client (dist/client.js, built by npm ci), for the demo page. */
function builtClient(): string | undefined {
  try {
    return readFileSync(join(import.meta.dirname, '../../dist/client.js'), 'utf8')
  } catch {
    return undefined
  }
}
