import { createApp, type AppDeps } from '../../src/app'
import { manualClock } from '../../src/clock'
import { loadConfig } from '../../src/config/config'
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
  const config = loadConfig({ PUBLIC_URL: 'http://bridge.test', ...env }, { defaultMode: 'development' })
  const deps: AppDeps = {
    config,
    store: createMemoryStore(),
    clock,
    logger: createLogger({ level: 'debug', clock, sink: (line) => logs.push(line) }),
    signingKeys: [await testSigningKey()],
    runtime: 'node',
    ...overrides,
  }
  const app = createApp(deps)
  return { app, deps, clock, logs, config: deps.config, store: deps.store }
}
