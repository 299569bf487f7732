import { assembleBridge, type RuntimeCapabilities } from '../src/assembly/assemble'
import { staticKeys } from '../src/keys/key-provider'
import { generateSigningJwk, importSigningKey } from '../src/keys/signing-key'
import { TOKEN_ADAPTERS } from '../test/helpers/test-app'
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

/**
 * A development bridge served over real HTTP on loopback, quiet, built by the same assembly as
 * `npm start`, with the real token adapters plus whatever the benchmark adds.
 */
export async function serveBenchBridge(
  overrides: Partial<Pick<RuntimeCapabilities, 'store' | 'keys' | 'adapters'>> = {},
  env: Record<string, string> = {},
) {
  const keys =
    overrides.keys ?? staticKeys([await importSigningKey(await generateSigningJwk('RS256'))])
  const bridge = await assembleBridge({
    name: 'node',
    env: { PUBLIC_URL: 'http://127.0.0.1:8790', LOG_LEVEL: 'error', ...UNLIMITED, ...env },
    adapters: [...TOKEN_ADAPTERS, ...(overrides.adapters ?? [])],
    defaultMode: 'development',
    socketAddress: () => undefined,
    store: overrides.store,
    keys,
  })
  const server = await serveApp(bridge.app)
  return { ...server, keys }
}
