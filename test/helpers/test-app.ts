import { createApp, type AppDeps } from '../../src/app'
import { manualClock } from '../../src/clock'
import { loadConfig } from '../../src/config/config'
import { loadTemplates } from '../../adapters/templates'
import { staticKeys } from '../../src/keys/key-provider'
import { createKeyProvider } from '../../src/keys/key-source'
import { generateSigningJwk, importSigningKey, type SigningKey } from '../../src/keys/signing-key'
import { createLogger } from '../../src/log/logger'
import { createMemoryStore } from '../../src/store/memory-store'

let sharedKey: Promise<SigningKey> | undefined

/** One RSA key per test process: generating 2048-bit keys is slow. */
export function testSigningKey(): Promise<SigningKey> {
  sharedKey ??= generateSigningJwk('RS256').then(importSigningKey)
  return sharedKey
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>

/** A real app over real parts (memory store unless one is given), with captured log lines. */
export async function makeTestApp(env: Record<string, string> = {}, overrides: Partial<AppDeps> = {}) {
  const logs: string[] = []
  const clock = manualClock(Date.now())
  const fullEnv = { PUBLIC_URL: 'http://bridge.test', ...env }
  const config = loadConfig(fullEnv, { defaultMode: 'development' })
  const templates = loadTemplates(fullEnv, config.mode)
  if (!templates.ok) throw new Error(templates.problems.join('\n'))
  const store = overrides.store ?? createMemoryStore()
  const logger = createLogger({ level: 'debug', clock, sink: (line) => logs.push(line) })
  const keys =
    config.signingKeys || config.keys.pem || config.keys.encryptionKey
      ? await createKeyProvider({ config, store, clock, logger })
      : staticKeys([await testSigningKey()])
  const deps: AppDeps = {
    config,
    store,
    clock,
    logger,
    keys,
    templates: templates.templates,
    runtime: 'node',
    ...overrides,
  }
  const app = createApp(deps)
  return { app, deps, clock, logs, config: deps.config, store: deps.store }
}
