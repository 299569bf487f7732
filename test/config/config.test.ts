import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { nodeAdapters } from '../../adapters/node'
import { assembleBridge } from '../../src/assembly/assemble'
import { ConfigError, parseConfig } from '../../src/config/config'
import { generateSigningJwk } from '../../src/keys/signing-key'

const run = promisify(execFile)
const node = { defaultMode: 'development' as const }

/** Every problem the assembly finds in `env`, core and adapter sections together. */
async function assemblyProblems(
  env: Record<string, string>,
  defaultMode: 'development' | 'production' = 'development',
) {
  try {
    const bridge = await assembleBridge({
      name: 'node',
      env,
      adapters: nodeAdapters,
      defaultMode,
      socketAddress: () => undefined,
      developmentKeys: async () => ({ keys: [await generateSigningJwk('ES256')] }),
    })
    await bridge.close()
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

describe('configuration', () => {
  it('has working defaults with no variables at all', () => {
    const result = parseConfig({}, node)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.config).toMatchObject({
      mode: 'development',
      host: '127.0.0.1',
      port: 8787,
      publicUrl: 'http://localhost:8787',
      trustProxy: 'none',
      bodyLimitBytes: 65536,
      sessions: { idleSeconds: 1800, absoluteSeconds: 43200 },
    })
  })

  it('names every bad variable and why', () => {
    const result = parseConfig(
      { PORT: 'eighty', TRUST_PROXY: 'everyone', ALLOWED_ORIGINS: 'https://a.example, null' },
      node,
    )
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.join('\n')).toMatch(/^PORT: /m)
    expect(result.problems.join('\n')).toMatch(/^TRUST_PROXY: /m)
    expect(result.problems.join('\n')).toMatch(/^ALLOWED_ORIGINS \(at 1\): .*not "null"/m)
  })

  it('never repeats a secret value in its messages, from the core or an adapter', async () => {
    const secret = 'short-admin-secret-value'
    const keys = '{"keys": [ {"kty":"RSA","d":"super-private-material"'
    const problems = await assemblyProblems({
      ADMIN_API_KEY: secret,
      SIGNING_KEYS: keys,
      REDIS_URL: 'http://user:hunter2@redis',
    })
    const text = problems.join('\n')
    expect(text).toMatch(/ADMIN_API_KEY: must be at least 32 characters/)
    expect(text).toMatch(/SIGNING_KEYS: is not valid JSON/)
    expect(text).toMatch(/REDIS_URL: /)
    for (const leaked of [secret, 'super-private-material', 'hunter2'])
      expect(text).not.toContain(leaked)
  })

  it('refuses to run production without real keys, a real store and an https URL', async () => {
    const result = parseConfig({ NODE_ENV: 'production' }, node)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.join('\n')).toMatch(/SIGNING_KEYS: required in production/)
    expect(result.problems.join('\n')).toMatch(/PUBLIC_URL: required in production/)
    const jwk = await generateSigningJwk('ES256')
    const store = await assemblyProblems({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://bridge.example',
      SIGNING_KEYS: JSON.stringify({ keys: [jwk] }),
    })
    expect(store.join('\n')).toMatch(/REDIS_URL: required in production/)
    const http = parseConfig(
      { BRIDGE_MODE: 'production', PUBLIC_URL: 'http://bridge.example' },
      node,
    )
    expect(http.ok || http.problems.join()).toMatch(/must use https/)
  })

  it('defaults Workers to production, and never lets localhost origins into production', () => {
    const result = parseConfig({}, { defaultMode: 'production' })
    expect(result.ok).toBe(false)
    const dev = parseConfig({}, node)
    expect(dev.ok && dev.config.allowLocalhostOrigins).toBe(true)
    const configured = parseConfig({ ALLOWED_ORIGINS: 'https://app.example' }, node)
    expect(configured.ok && configured.config.allowLocalhostOrigins).toBe(false)
  })

  it('stops `npm start` with a message that names the variable and hides the secret', async () => {
    const secret = 'not-long-enough-secret'
    const failure = await run('npx', ['tsx', 'src/runtime/node/main.ts'], {
      env: { ...process.env, ADMIN_API_KEY: secret, PORT: '0x', BRIDGE_DATA_DIR: '/nonexistent' },
      timeout: 30_000,
    }).then(
      () => null,
      (error: { code: number; stderr: string; stdout: string }) => error,
    )
    expect(failure).not.toBeNull()
    expect(failure?.code).toBe(1)
    expect(failure?.stderr).toMatch(/invalid configuration/)
    expect(failure?.stderr).toMatch(/ADMIN_API_KEY: must be at least 32 characters/)
    expect(failure?.stderr).toMatch(/PORT: /)
    expect(`${failure?.stderr}${failure?.stdout}`).not.toContain(secret)
  })
})

describe('development mode is for a loopback address only', () => {
  const problemsOf = (env: Record<string, string>) => {
    const result = parseConfig(env, node)
    return result.ok ? [] : result.problems
  }

  it('is what `npm start` gets with no configuration, on loopback', () => {
    expect(problemsOf({})).toEqual([])
    expect(problemsOf({ HOST: '::1' })).toEqual([])
    expect(problemsOf({ HOST: 'localhost', PORT: '9000' })).toEqual([])
  })

  it('refuses a reachable HOST or an https PUBLIC_URL, even when asked for by name', () => {
    for (const env of <Record<string, string>[]>[
      { HOST: '0.0.0.0' },
      { HOST: '0.0.0.0', PUBLIC_URL: 'https://bridge.example' },
      { PUBLIC_URL: 'https://bridge.example' },
      { HOST: '10.0.0.5', BRIDGE_MODE: 'development' },
      { HOST: '::', NODE_ENV: 'development' },
    ]) {
      const problems = problemsOf(env)
      expect(problems.join('\n')).toMatch(/development mode serves \/dev\/token/)
      expect(problems.join('\n')).toMatch(
        /set BRIDGE_MODE=production, or bind HOST to 127\.0\.0\.1/,
      )
    }
  })

  it('must be asked for by name once keys or identity providers are configured', async () => {
    const jwk = await generateSigningJwk('ES256')
    const issuers = JSON.stringify([{ issuer: 'https://idp.example', audience: 'bridge' }])
    const kek = 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE'
    for (const [name, value] of [
      ['SIGNING_KEYS', JSON.stringify({ keys: [jwk] })],
      ['KEY_ENCRYPTION_KEY', kek],
      ['UPSTREAM_ISSUERS', issuers],
    ] as const) {
      expect(problemsOf({ [name]: value }).join('\n')).toMatch(
        new RegExp(`^${name}: is set, so the mode must be too`, 'm'),
      )
      expect(problemsOf({ [name]: value, BRIDGE_MODE: 'development' })).toEqual([])
    }
  })

  it('must be asked for by name when the store is not on loopback; the local Redis is fine', async () => {
    expect(
      (await assemblyProblems({ REDIS_URL: 'redis://redis.internal:6379' })).join('\n'),
    ).toMatch(/^REDIS_URL: is not on loopback, so the mode must be set/m)
    expect(
      await assemblyProblems({
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_URL: 'file:/tmp/bk-dev-mode.db',
      }),
    ).toEqual([])
  })

  it('stops `npm start` on a reachable HOST with the rule', async () => {
    const failure = await run('npx', ['tsx', 'src/runtime/node/main.ts'], {
      env: { ...process.env, HOST: '0.0.0.0', BRIDGE_DATA_DIR: '/nonexistent' },
    }).catch((error: { code: number; stderr: string }) => error)
    expect('code' in failure ? failure.code : 0).toBe(1)
    expect('stderr' in failure ? failure.stderr : '').toMatch(
      /HOST: development mode serves \/dev\/token/,
    )
  })
})
