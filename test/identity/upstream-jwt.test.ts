import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseConfig } from '../../src/config/config'
import { makeTestApp, testSigningKey, type TestApp } from '../helpers/test-app'
import { issuerEnv, startOidcIssuer, type OidcIssuer } from '../fakes/oidc-issuer'

let issuer: OidcIssuer
let t: TestApp

beforeAll(async () => {
  issuer = await startOidcIssuer()
  await issuer.addKey('RS256')
  t = await makeTestApp({
    UPSTREAM_ISSUERS: issuerEnv(issuer, {
      authorizedParties: ['https://app.example'],
      claims: { roles: 'https://example.com/roles', org: 'o.id' },
    }),
    ALLOWED_ORIGINS: 'https://app.example',
    // This file sends dozens of bad tokens on purpose; the lockout has its own tests.
    AUTH_FAILURE_LIMIT: '10000',
  })
})
afterAll(() => issuer.close())

const me = (token: string, headers: Record<string, string> = {}) =>
  t.app.request('/v1/me', { headers: { Authorization: `Bearer ${token}`, ...headers } })

/** Every refusal looks the same: 401, a Bearer challenge, a generic problem that never echoes the token. */
async function expectRefused(response: Response, token: string) {
  expect(response.status).toBe(401)
  expect(response.headers.get('www-authenticate')).toBe(
    'Bearer realm="bridgekeeper", error="invalid_token"',
  )
  const text = await response.text()
  expect(JSON.parse(text)).toMatchObject({
    code: 'invalid_token',
    status: 401,
    title: 'The credentials are invalid or expired',
  })
  if (token.length > 8) expect(text).not.toContain(token.slice(0, 40))
  expect(t.logs.join('\n')).not.toContain(token.length > 20 ? token : '\u0000')
}

describe('upstream identity-provider JWTs', () => {
  it('accepts a valid token and maps its claims onto the principal', async () => {
    const token = await issuer.sign({
      email: 'ada@example.com',
      email_verified: true,
      'https://example.com/roles': ['editor', 'viewer'],
      o: { id: 'org_7' },
      azp: 'https://app.example',
    })
    const response = await me(token)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      userId: 'user_1',
      issuer: issuer.url,
      email: 'ada@example.com',
      emailVerified: true,
      roles: ['editor', 'viewer'],
      orgId: 'org_7',
      sessionId: null,
      method: 'upstream_jwt',
    })
  })

  it('reads the token from the __session cookie too (as Clerk sets it)', async () => {
    const token = await issuer.sign()
    const response = await t.app.request('/v1/me', { headers: { Cookie: `__session=${token}` } })
    expect(response.status).toBe(200)
  })

  it('never reads a token from the URL', async () => {
    const token = await issuer.sign()
    const response = await t.app.request(`/v1/me?token=${token}&access_token=${token}`)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="bridgekeeper"')
  })

  it('refuses alg "none" in any letter case', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const header = base64url.encode(JSON.stringify({ alg, typ: 'JWT' }))
      const payload = base64url.encode(
        JSON.stringify({ iss: issuer.url, aud: issuer.audience, sub: 'admin', exp: 9999999999 }),
      )
      for (const token of [
        `${header}.${payload}.`,
        `${header}.${payload}.${base64url.encode('x')}`,
      ]) {
        await expectRefused(await me(token), token)
      }
    }
  })

  it('refuses an HMAC token signed with the issuer public key', async () => {
    const jwk = issuer.keys[0]?.publicJwk
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const secrets = [
        new TextEncoder().encode(JSON.stringify(jwk)),
        new TextEncoder().encode(jwk?.n ?? ''),
      ]
      for (const secret of secrets) {
        const token = await new SignJWT({ iss: issuer.url, aud: issuer.audience, sub: 'admin' })
          .setProtectedHeader({ alg, kid: jwk?.kid })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(secret)
        await expectRefused(await me(token), token)
      }
    }
  })

  it('refuses a tampered payload', async () => {
    const token = await issuer.sign({ sub: 'user_1' })
    const [h, , s] = token.split('.')
    const forged = `${h}.${base64url.encode(JSON.stringify({ iss: issuer.url, aud: issuer.audience, sub: 'admin', exp: 9999999999 }))}.${s}`
    await expectRefused(await me(forged), forged)
  })

  it('refuses expired tokens and honours nbf, with only the configured skew', async () => {
    const now = t.clock.now()
    const expired = await issuer.sign({ exp: Math.floor(now / 1000) - 6 })
    await expectRefused(await me(expired), expired)
    const withinSkew = await issuer.sign({ exp: Math.floor(now / 1000) - 3 })
    expect((await me(withinSkew)).status).toBe(200)
    const early = await issuer.sign({ nbf: Math.floor(now / 1000) + 60 })
    await expectRefused(await me(early), early)
  })

  it('refuses a token without exp or sub', async () => {
    const key = issuer.keys[0]
    if (!key) throw new Error('no key')
    const noExp = await new SignJWT({ iss: issuer.url, aud: issuer.audience, sub: 'u' })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .sign(key.privateKey)
    await expectRefused(await me(noExp), noExp)
    const noSub = await issuer.sign({ sub: undefined })
    await expectRefused(await me(noSub), noSub)
  })

  it('refuses the wrong issuer, audience or authorized party', async () => {
    for (const claims of [
      { iss: `${issuer.url}/` },
      { iss: 'https://evil.example' },
      { aud: 'another-api' },
      { aud: undefined },
      { azp: 'https://evil.example' },
    ]) {
      const token = await issuer.sign(claims)
      await expectRefused(await me(token), token)
    }
  })

  it('ignores keys embedded in the header (jwk, jku, x5u) and never fetches them', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true })
    const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'evil', alg: 'RS256' }
    let attackerHits = 0
    const evil = createServer((_, res) => {
      attackerHits++
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [attackerJwk] }))
    })
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/jwks.json`
    try {
      const token = await new SignJWT({ iss: issuer.url, aud: issuer.audience, sub: 'admin' })
        .setProtectedHeader({
          alg: 'RS256',
          kid: 'evil',
          jwk: attackerJwk,
          jku: evilUrl,
          x5u: evilUrl,
          x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'],
        })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(attacker.privateKey)
      await expectRefused(await me(token), token)
      expect(attackerHits).toBe(0)
    } finally {
      evil.close()
    }
  })

  it('refuses garbage, four-segment, JSON-serialized and oversized tokens', async () => {
    const valid = await issuer.sign()
    const oversized = await issuer.sign({ pad: 'x'.repeat(9000) })
    const candidates = [
      'garbage',
      'a.b.c',
      `${valid}.extra`,
      JSON.stringify({
        payload: valid.split('.')[1],
        signatures: [{ protected: valid.split('.')[0], signature: valid.split('.')[2] }],
      }),
      oversized,
      '\u00e9t\u00e9.\u00e9.\u00e9',
    ]
    for (const token of candidates) {
      const response = await t.app.request('/v1/me', {
        headers: { Authorization: `Bearer ${encodeURIComponent(token)}` },
      })
      await expectRefused(response, token)
    }
    const malformedHeader = await t.app.request('/v1/me', {
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
    })
    expect(malformedHeader.status).toBe(401)
  })

  it('refuses a token the bridge itself could have minted', async () => {
    const key = await testSigningKey()
    const token = await new SignJWT({
      iss: t.config.publicUrl,
      aud: issuer.audience,
      sub: 'user_1',
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey)
    await expectRefused(await me(token), token)
  })

  it('refetches the JWKS for an unknown kid at most once per cooldown, then refuses', async () => {
    const cooled = await startOidcIssuer()
    const signer = await cooled.addKey('ES256', 'known')
    const app = await makeTestApp({
      UPSTREAM_ISSUERS: issuerEnv(cooled),
      JWKS_COOLDOWN_SECONDS: '1',
    })
    try {
      const good = await cooled.sign({}, { key: signer })
      expect(
        (await app.app.request('/v1/me', { headers: { Authorization: `Bearer ${good}` } })).status,
      ).toBe(200)
      expect(cooled.discoveryFetches).toBe(1)
      const baseline = cooled.jwksFetches

      const unknown = await cooled.sign({}, { key: signer, header: { kid: 'rotated-away' } })
      const ask = () =>
        app.app.request('/v1/me', { headers: { Authorization: `Bearer ${unknown}` } })
      expect((await ask()).status).toBe(401)
      expect((await ask()).status).toBe(401)
      expect(cooled.jwksFetches - baseline).toBeLessThanOrEqual(1)
      // jose measures the cooldown with Date.now(): move that clock (and the bridge's) past it.
      vi.useFakeTimers({ toFake: ['Date'] })
      const travel = (ms: number) => {
        vi.setSystemTime(Date.now() + ms)
        app.clock.advance(ms)
      }
      travel(1100)
      expect((await ask()).status).toBe(401)
      expect(cooled.jwksFetches - baseline).toBeLessThanOrEqual(2)
      expect((await ask()).status).toBe(401)
      expect(cooled.jwksFetches - baseline).toBeLessThanOrEqual(2)

      // A key added at the issuer is picked up through the same refetch path.
      const fresh = await cooled.addKey('RS256', 'new-key')
      travel(1100)
      const rotated = await cooled.sign({}, { key: fresh })
      expect(
        (await app.app.request('/v1/me', { headers: { Authorization: `Bearer ${rotated}` } }))
          .status,
      ).toBe(200)
    } finally {
      vi.useRealTimers()
      await cooled.close()
    }
  })

  it('fails closed when the keys cannot be fetched', async () => {
    const down = await startOidcIssuer()
    await down.addKey('RS256')
    down.setAvailable(false)
    const app = await makeTestApp({ UPSTREAM_ISSUERS: issuerEnv(down) })
    try {
      const token = await down.sign()
      const response = await app.app.request('/v1/me', {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(response.status).toBe(401)
      expect(app.logs.some((l) => l.includes('upstream.jwks_unavailable'))).toBe(true)
    } finally {
      await down.close()
    }
  })

  it('follows no redirect and reads no oversized key set', async () => {
    const target = await startOidcIssuer()
    await target.addKey('RS256')
    let hits = 0
    const tricky = createServer((req, res) => {
      hits++
      if (req.url === '/redirect.json')
        res.writeHead(302, { location: `${target.url}/jwks.json` }).end()
      else
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            keys: target.keys.map((k) => k.publicJwk),
            pad: 'x'.repeat(300 * 1024),
          }),
        )
    })
    await new Promise<void>((resolve) => tricky.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(tricky.address() as AddressInfo).port}`
    try {
      for (const jwksUri of [`${base}/redirect.json`, `${base}/huge.json`]) {
        const app = await makeTestApp({ UPSTREAM_ISSUERS: issuerEnv(target, { jwksUri }) })
        const token = await target.sign()
        const response = await app.app.request('/v1/me', {
          headers: { Authorization: `Bearer ${token}` },
        })
        expect(response.status).toBe(401)
      }
      expect(hits).toBeGreaterThan(0)
      expect(target.jwksFetches).toBe(0)
    } finally {
      tricky.close()
      await target.close()
    }
  })

  it('never trusts identity headers the client sends', async () => {
    const token = await issuer.sign({ sub: 'user_1' })
    const response = await me(token, {
      'X-User-Id': 'admin',
      'x-hasura-user-id': 'admin',
      'x-hasura-role': 'admin',
      'X-Forwarded-User': 'admin',
    })
    expect(await response.json()).toMatchObject({ userId: 'user_1', roles: [] })
  })

  it('will not pin an HMAC algorithm or the bridge itself as an issuer', () => {
    const hmac = parseConfig(
      {
        UPSTREAM_ISSUERS: JSON.stringify([
          { issuer: 'https://idp.example', audience: 'a', algorithms: ['HS256'] },
        ]),
      },
      { defaultMode: 'development' },
    )
    expect(hmac.ok).toBe(false)
    const self = parseConfig(
      {
        PUBLIC_URL: 'http://bridge.test',
        UPSTREAM_ISSUERS: JSON.stringify([{ issuer: 'http://bridge.test/dev', audience: 'a' }]),
      },
      { defaultMode: 'development' },
    )
    expect(self.ok).toBe(false)
    const skew = parseConfig(
      {
        UPSTREAM_ISSUERS: JSON.stringify([
          { issuer: 'https://idp.example', audience: 'a', clockSkewSeconds: 120 },
        ]),
      },
      { defaultMode: 'development' },
    )
    expect(skew.ok).toBe(false)
  })
})
