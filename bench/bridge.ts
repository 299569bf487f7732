import { loadTemplates } from '../adapters/templates'
import { createApp, type AppDeps } from '../src/app'
import { systemClock } from '../src/clock'
import { loadConfig } from '../src/config/config'
import { staticKeys } from '../src/keys/key-provider'
import { generateSigningJwk, importSigningKey } from '../src/keys/signing-key'
import { createLogger } from '../src/log/logger'
import { createMemoryStore } from '../src/store/memory-store'
import { serveApp } from '../test/helpers/serve'

/** Budgets lifted so a benchmark measures the bridge, not its rate limits. */
const UNLIMITED = {
  MINT_PER_USER: '1000000',
  MINT_PER_IP: '1000000',
  DATA_PER_USER: '1000000',
  DATA_PER_IP: '1000000',
  SESSION_CREATE_PER_IP: '100000',
  AUTH_FAILURE_LIMIT: '100000',
}

/** A development bridge served over real HTTP on loopback, quiet, with the real adapters' templates. */
export async function serveBenchBridge(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}) {
  const fullEnv = { PUBLIC_URL: 'http://127.0.0.1:8790', ...UNLIMITED, ...env }
  const templates = loadTemplates(fullEnv, 'development')
  if (!templates.ok) throw new Error(templates.problems.join('\n'))
  const keys = staticKeys([await importSigningKey(await generateSigningJwk('RS256'))])
  const app = createApp({
    config: loadConfig(fullEnv, { defaultMode: 'development' }),
    store: createMemoryStore(),
    clock: systemClock,
    logger: createLogger({ level: 'error', clock: systemClock }),
    keys,
    templates: templates.templates,
    runtime: 'node',
    ...overrides,
  })
  const server = await serveApp(app)
  return { ...server, keys: overrides.keys ?? keys }
}
