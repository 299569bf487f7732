import { Redis } from 'ioredis'
import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/runtime/node/cli/program'
import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { serveApp } from '../helpers/serve'
import { asSession, bearerSession } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const ADMIN = 'cli-admin-key-0123456789abcdefghijklmnopq'
const KEK = 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE'

/** Runs one command in-process, as `npx bridgekeeper …` would, and collects what it prints. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

let bridge: TestApp
let served: Awaited<ReturnType<typeof serveApp>>
let remote: Record<string, string>

beforeAll(async () => {
  bridge = await makeTestApp({
    ADMIN_API_KEY: ADMIN,
    KEY_ENCRYPTION_KEY: KEK,
    HASURA_WEBHOOK_SECRET: 'cli-hook-secret-0123456789abcdefghijklm',
  })
  served = await serveApp(bridge.app)
  remote = { BRIDGE_URL: served.url, ADMIN_API_KEY: ADMIN }
})
afterAll(() => served.close())

describe('bridgekeeper keys', () => {
  it('generate prints a JWK set that works as SIGNING_KEYS, and a PEM that works as SIGNING_KEYS_PEM', async () => {
    const jwks = await cli(['keys', 'generate', '--alg', 'ES256'])
    expect(jwks.code).toBe(0)
    const withJwks = await makeTestApp({ SIGNING_KEYS: jwks.out })
    const key = (JSON.parse(jwks.out) as { keys: { kid: string; d?: string }[] }).keys[0]
    expect(key?.d).toBeTypeOf('string')
    const { secret } = await bearerSession(withJwks, 'cli-user')
    const minted = await asSession(withJwks, secret, '/v1/tokens/hasura', { method: 'POST' })
    const { token } = (await minted.json()) as { token: string }
    const servedKeys = await serveApp(withJwks.app)
    try {
      const verified = await jwtVerify(
        token,
        createRemoteJWKSet(new URL(`${servedKeys.url}/.well-known/jwks.json`)),
      )
      expect(verified.protectedHeader).toMatchObject({ alg: 'ES256', kid: key?.kid })
    } finally {
      await servedKeys.close()
    }

    const pem = await cli(['keys', 'generate', '--pem'])
    expect(pem.out).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----$/)
    const withPem = await makeTestApp({ SIGNING_KEYS_PEM: pem.out, SIGNING_ALG: 'RS256' })
    expect((await withPem.keys.activeKey()).alg).toBe('RS256')
  })

  it('kek prints a key-encryption key that KEY_ENCRYPTION_KEY accepts, a new one each time', async () => {
    const [a, b] = [await cli(['keys', 'kek']), await cli(['keys', 'kek'])]
    expect(a.out).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.out).not.toBe(b.out)
    const t = await makeTestApp({ KEY_ENCRYPTION_KEY: a.out })
    expect(t.keys.kind).toBe('managed')
  })

  it('list and rotate talk to a running bridge with the admin key, never printing it', async () => {
    const before = await cli(['keys', 'list', '--json'], remote)
    expect(before.code).toBe(0)
    const listed = JSON.parse(before.out) as { keys: { kid: string; state: string }[] }
    expect(listed.keys.map((k) => k.state)).toEqual(['active'])
    const rotated = await cli(['keys', 'rotate'], remote)
    expect(rotated.code).toBe(0)
    expect(rotated.out).toContain('Rotation started')
    expect(rotated.out).toMatch(/\bnext\b/)
    const after = await cli(['keys', 'list'], remote)
    expect(after.out.split('\n')[0]).toMatch(/^KID\s+ALG\s+STATE/)
    expect(after.out).toContain(listed.keys[0]?.kid)
    for (const run of [before, rotated, after]) expect(run.out + run.err).not.toContain(ADMIN)
  })

  it('fails with exit 1 and the problem code on a wrong admin key or an unreachable bridge', async () => {
    const wrong = await cli(['keys', 'list'], {
      BRIDGE_URL: served.url,
      ADMIN_API_KEY: 'wrong-admin-key-0123456789abcdefghijkl',
    })
    expect(wrong.code).toBe(1)
    expect(wrong.err).toMatch(/401 \w+/)
    expect(wrong.err).not.toContain('wrong-admin-key')
    const missing = await cli(['keys', 'rotate'], { BRIDGE_URL: served.url })
    expect(missing).toMatchObject({ code: 1 })
    expect(missing.err).toContain('ADMIN_API_KEY')
    const down = await cli(['keys', 'list', '--url', 'http://127.0.0.1:1'], remote)
    expect(down.code).toBe(1)
    expect(down.err).toContain('cannot reach http://127.0.0.1:1')
  })
})

describe('bridgekeeper hasura-config and sessions revoke', () => {
  it('supabase-config and convex-config print what those providers need', async () => {
    const supabase = await cli(['supabase-config', '--json'], remote)
    expect(supabase.code).toBe(0)
    expect(JSON.parse(supabase.out)).toMatchObject({ issuer: 'http://bridge.test' })
    const convex = await cli(['convex-config'], remote)
    expect(convex.code).toBe(0)
    expect(convex.out).toContain('http://bridge.test')
  })

  it('takes the admin key from standard input, never from an argument', async () => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(['keys', 'list', '--admin-key-stdin', '--url', served.url], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
      stdin: async () => `${ADMIN}\n`,
    })
    expect(err.join('\n')).toBe('')
    expect(code).toBe(0)
    const refused = await cli(['keys', 'list', '--admin-key', ADMIN, '--url', served.url])
    expect(refused.code).toBe(2)
  })

  it('hasura-config prints the settings a running bridge gives Hasura', async () => {
    const jwt = await cli(['hasura-config'], remote)
    expect(jwt.code).toBe(0)
    expect(JSON.parse(jwt.out)).toMatchObject({
      jwk_url: 'http://bridge.test/.well-known/jwks.json',
    })
    const webhook = await cli(['hasura-config', '--webhook', '--json'], remote)
    expect(JSON.parse(webhook.out)).toEqual({
      HASURA_GRAPHQL_AUTH_HOOK:
        'http://bridge.test/v1/integrations/hasura/webhook?secret=cli-hook-secret-0123456789abcdefghijklm',
      HASURA_GRAPHQL_AUTH_HOOK_MODE: 'POST',
    })
  })

  it("sessions revoke --user ends every session of that user and no one else's", async () => {
    const mine = await bearerSession(bridge, 'revoked-by-cli')
    const other = await bearerSession(bridge, 'kept-by-cli')
    const run = await cli(
      [
        'sessions',
        'revoke',
        '--user',
        'revoked-by-cli',
        '--issuer',
        'http://bridge.test/dev',
        '--json',
      ],
      remote,
    )
    expect(run.code).toBe(0)
    expect(JSON.parse(run.out)).toEqual({ revoked: 1 })
    expect((await asSession(bridge, mine.secret)).status).toBe(401)
    expect((await asSession(bridge, other.secret)).status).toBe(200)
    expect((await cli(['sessions', 'revoke'], remote)).code).toBe(2) // --user is required
  })
})

describe('bridgekeeper policy and doctor', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bk-cli-'))
  })

  it('policy show lists every resource with its operations, fields and presets', async () => {
    const shown = await cli(['policy', 'show', '--json'], { BRIDGE_DATA_DIR: dataDir })
    expect(shown.code).toBe(0)
    const { resources } = JSON.parse(shown.out) as { resources: Record<string, unknown>[] }
    expect(resources.find((r) => r.name === 'posts')).toMatchObject({
      owner: 'authorId = userId',
      operations: { list: 'all', get: 'all', create: 'yes', update: 'own', delete: 'own' },
      writable: ['title', 'body'],
      presets: ['authorId', 'authorEmail'],
    })
    expect(resources.find((r) => r.name === 'team-notes')).toMatchObject({
      owner: 'ownerId = orgId',
      operations: { create: 'custom' },
    })
    const text = await cli(['policy', 'show'], { BRIDGE_DATA_DIR: dataDir })
    expect(text.out).toContain('posts  (owner: authorId = userId)')
  })

  it('policy check passes the shipped resources and reports what start-up would refuse', async () => {
    const ok = await cli(['policy', 'check'], { BRIDGE_DATA_DIR: dataDir })
    expect(ok).toMatchObject({ code: 0 })
    expect(ok.out).toMatch(/^ok: 2 resources/)
    const bad = await cli(['policy', 'check', '--json'], {
      BRIDGE_DATA_DIR: dataDir,
      AIRTABLE_TOKEN: 'patNotAValidTokenShape',
      SESSION_IDLE_TIMEOUT: 'soon',
    })
    expect(bad.code).toBe(1)
    const report = JSON.parse(bad.out) as { ok: boolean; problems: string[] }
    expect(report.ok).toBe(false)
    expect(report.problems.join('\n')).toContain('SESSION_IDLE_TIMEOUT')
    expect(bad.out).not.toContain('patNotAValidTokenShape')
  })

  it("client-types prints the deployment's resources and templates as the client's types", async () => {
    const printed = await cli(['client-types'], { BRIDGE_DATA_DIR: dataDir })
    expect(printed.code).toBe(0)
    expect(printed.out).toContain('export type Bridge = {')
    // A row holds the readable fields; bodies only what a client may write (not the owner).
    expect(printed.out).toMatch(/ {4}posts: \{\n {6}row: \{\n {8}createdAt\?: string\n/)
    expect(printed.out).toContain('priority?: number | null')
    expect(printed.out).toMatch(
      /create: \{\n {8}title\?: string\n {8}body\?: string \| null\n {6}\}/,
    )
    expect(printed.out).toMatch(/templates: .*"api"/)
    const out = join(dataDir, 'bridge-types.ts')
    const written = await cli(['client-types', '--out', out], { BRIDGE_DATA_DIR: dataDir })
    expect(written.err).toMatch(/^wrote .*bridge-types.ts: 2 resource\(s\)/)
    const bad = await cli(['client-types'], {
      BRIDGE_DATA_DIR: dataDir,
      SESSION_IDLE_TIMEOUT: 'soon',
    })
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('SESSION_IDLE_TIMEOUT')
  })

  it('doctor passes a healthy configuration and its upstream issuer', async () => {
    const issuer = await startOidcIssuer()
    await issuer.addKey()
    try {
      const run = await cli(['doctor', '--json'], {
        BRIDGE_DATA_DIR: dataDir,
        BRIDGE_MODE: 'development',
        UPSTREAM_ISSUERS: issuerEnv(issuer),
        REDIS_URL: 'redis://127.0.0.1:6379',
      })
      const report = JSON.parse(run.out) as {
        ok: boolean
        checks: { check: string; ok: boolean }[]
      }
      expect(report.checks.map((c) => [c.check, c.ok])).toEqual([
        ['configuration', true],
        ['store (redis)', true],
        ['signing keys', true],
        ['data posts', true],
        ['data team-notes', true],
        [`issuer ${issuer.url}`, true],
      ])
      expect(run.code).toBe(0)
      issuer.setAvailable(false)
      const down = await cli(['doctor'], {
        BRIDGE_DATA_DIR: dataDir,
        BRIDGE_MODE: 'development',
        UPSTREAM_ISSUERS: issuerEnv(issuer),
      })
      expect(down.code).toBe(1)
      expect(down.out).toMatch(/FAIL\s+issuer http:\/\/127\.0\.0\.1:\d+\s+.*answered 503/)
    } finally {
      await issuer.close()
    }
  })

  it('doctor reports a stopped Redis as a failure with the reason, without the password', async () => {
    const run = await cli(['doctor'], {
      BRIDGE_DATA_DIR: dataDir,
      REDIS_URL: 'redis://:hunter2-password@127.0.0.1:1',
    })
    expect(run.code).toBe(1)
    expect(run.out).toMatch(
      /FAIL\s+store \(redis\)\s+cannot connect: 127\.0\.0\.1:1 refuses or doesn't answer/,
    )
    expect(run.out).toMatch(/pass\s+configuration/)
    expect(run.out + run.err).not.toContain('hunter2')
  })

  it('doctor reports an unreachable database as a failure in one line, without its password or a stack', async () => {
    const run = await cli(['doctor', 'policy'].slice(0, 1), {
      BRIDGE_DATA_DIR: dataDir,
      DATABASE_URL: 'postgresql://bridge:s3cret-db-password@127.0.0.1:1/nowhere',
    })
    expect(run.code).toBe(1)
    const text = run.out + run.err
    expect(text).not.toContain('s3cret-db-password')
    expect(text).not.toMatch(/\n\s+at /)
    expect(run.out).toMatch(/FAIL/)
    const policy = await cli(['policy', 'check'], {
      BRIDGE_DATA_DIR: dataDir,
      DATABASE_URL: 'postgresql://bridge:s3cret-db-password@127.0.0.1:1/nowhere',
    })
    expect(policy.out + policy.err).not.toContain('s3cret-db-password')
    expect(policy.out + policy.err).not.toMatch(/\n\s+at /)
  })

  it('doctor writes nothing to the shared store: no key set is created, rotated or re-wrapped', async () => {
    const prefix = `bkt:doctor-ro:${crypto.randomUUID().slice(0, 8)}:`
    const run = await cli(['doctor', '--json'], {
      BRIDGE_DATA_DIR: dataDir,
      BRIDGE_MODE: 'development',
      REDIS_URL: 'redis://127.0.0.1:6379',
      STORE_KEY_PREFIX: prefix,
      KEY_ENCRYPTION_KEY: KEK,
    })
    const report = JSON.parse(run.out) as { checks: { check: string; ok: boolean }[] }
    expect(report.checks.find((c) => c.check === 'signing keys')?.ok).toBe(true)
    const redis = new Redis('redis://127.0.0.1:6379')
    try {
      expect(await redis.keys(`${prefix}*`)).toEqual([])
    } finally {
      await redis.quit()
    }
  })

  it('doctor fails on a configuration start-up would refuse', async () => {
    const run = await cli(['doctor'], { BRIDGE_DATA_DIR: dataDir, BRIDGE_MODE: 'production' })
    expect(run.code).toBe(1)
    expect(run.out).toMatch(/FAIL\s+configuration\s+.*PUBLIC_URL/)
  })
})

describe('the bridgekeeper binary', () => {
  it('answers a wrong command with exit 2, and runs as a program from the build', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2)
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(import.meta.dirname, '../../dist/server/cli.js'),
      'keys',
      'generate',
      '--alg',
      'EdDSA',
    ])
    const key = (JSON.parse(stdout) as { keys: Record<string, string>[] }).keys[0]
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' })
  })
})
