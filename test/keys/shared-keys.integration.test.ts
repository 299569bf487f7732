import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'

import { createRedisStore } from '../../adapters/redis/store'
import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { useRedisStores, waitUntil } from '../helpers/redis'
import { startTcpProxy } from '../helpers/tcp-proxy'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const KEK = 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE'
const ADMIN = 'shared-keys-admin-key-0123456789abcdef'
const redis = useRedisStores('keys')

async function instance(): Promise<TestApp> {
  const store = await redis.open()
  return makeTestApp({ KEY_ENCRYPTION_KEY: KEK, ADMIN_API_KEY: ADMIN }, { store })
}

async function mintKid(t: TestApp): Promise<string> {
  const login = (await (
    await t.app.request('/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"sub":"k"}',
    })
  ).json()) as { token: string }
  const minted = (await (
    await t.app.request('/v1/tokens/hasura', {
      method: 'POST',
      headers: { Authorization: `Bearer ${login.token}` },
    })
  ).json()) as { token: string }
  return String(decodeProtectedHeader(minted.token).kid)
}

describe('instances sharing one Redis', () => {
  it('agree on the active key and publish the same key set', async () => {
    const [a, b, c] = await Promise.all([instance(), instance(), instance()])
    const kids = await Promise.all([a, b, c].map(mintKid))
    expect(new Set(kids).size).toBe(1)
    const sets = await Promise.all(
      [a, b, c].map(async (t) =>
        (await t.app.request('/.well-known/jwks.json')).headers.get('etag'),
      ),
    )
    expect(new Set(sets).size).toBe(1)
  })

  it('perform one rotation when several are asked at once', async () => {
    const [a, b] = await Promise.all([instance(), instance()])
    await mintKid(a)
    const rotate = (t: TestApp) =>
      t.app.request('/v1/admin/keys/rotate', {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN}` },
      })
    const results = await Promise.all([rotate(a), rotate(b), rotate(a), rotate(b)])
    for (const r of results) expect(r.status).toBe(200)
    const status = (await (
      await a.app.request('/v1/admin/keys', { headers: { Authorization: `Bearer ${ADMIN}` } })
    ).json()) as { keys: { state: string }[] }
    expect(status.keys.filter((k) => k.state === 'next')).toHaveLength(1)
    expect(status.keys.filter((k) => k.state === 'active')).toHaveLength(1)
  })
})

describe('the store going away', () => {
  it('keeps the JWKS and minting going from the last key set for a while, then answers 503, never 500', async () => {
    const proxy = await startTcpProxy(6379)
    const issuer = await startOidcIssuer()
    await issuer.addKey('ES256')
    const store = redis.track(
      createRedisStore({ url: proxy.url, keyPrefix: redis.prefix, commandTimeoutMs: 500 }),
    )
    await waitUntil(() => store.ping())
    const t = await makeTestApp(
      { KEY_ENCRYPTION_KEY: KEK, UPSTREAM_ISSUERS: issuerEnv(issuer) },
      { store },
    )
    try {
      const jwt = await issuer.sign({ sub: 'through-the-outage' }, { expiresIn: 3600 })
      const mint = () =>
        t.app.request('/v1/tokens/hasura', {
          method: 'POST',
          headers: { Authorization: `Bearer ${jwt}` },
        })
      const jwks = () => t.app.request('/.well-known/jwks.json')
      expect((await mint()).status).toBe(200)
      const published = await (await jwks()).text()

      await proxy.cut()
      t.clock.advance(6000) // past the key-set cache: every call now tries the store
      expect((await jwks()).status).toBe(200)
      expect(await (await jwks()).text()).toBe(published)
      expect((await mint()).status).toBe(200)
      expect(t.logs.some((l) => l.includes('keys.stale_if_error'))).toBe(true)

      t.clock.advance(11 * 60_000) // past the stale-if-error bound
      for (const response of [await jwks(), await mint()]) {
        expect(response.status).toBe(503)
        expect(await response.json()).toMatchObject({ code: 'keys_unavailable' })
      }

      await proxy.restore()
      await waitUntil(async () => {
        if ((await mint()).status !== 200) throw new Error('not yet')
      }, 10_000)
    } finally {
      await proxy.close()
      await issuer.close()
    }
  })
})
