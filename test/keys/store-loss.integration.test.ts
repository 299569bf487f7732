import { decodeProtectedHeader } from 'jose'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { REDIS_URL, useRedisStores } from '../helpers/redis'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const KEK = 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE'
const redis = useRedisStores('store-loss')
const raw = new Redis(REDIS_URL)
afterAll(() => raw.quit())

describe('losing the store under instances that hold the keys', () => {
  it('keeps the key id and the JWKS, and minting never answers 5xx, after the store is wiped', async () => {
    const issuer = await startOidcIssuer()
    await issuer.addKey('ES256')
    const env = { KEY_ENCRYPTION_KEY: KEK, UPSTREAM_ISSUERS: issuerEnv(issuer) }
    const instances: TestApp[] = [
      await makeTestApp(env, { store: await redis.open() }),
      await makeTestApp(env, { store: await redis.open() }),
    ]
    try {
      const jwt = await issuer.sign({ sub: 'through-the-loss' }, { expiresIn: 3600 })
      const kidOf = async (t: TestApp) => {
        const response = await t.app.request('/v1/tokens/hasura', {
          method: 'POST',
          headers: { Authorization: `Bearer ${jwt}` },
        })
        expect(response.status).toBe(200)
        return decodeProtectedHeader(((await response.json()) as { token: string }).token).kid
      }
      const jwks = async (t: TestApp) => (await t.app.request('/.well-known/jwks.json')).text()
      const [kid, other] = [await kidOf(instances[0]!), await kidOf(instances[1]!)]
      expect(other).toBe(kid)
      const published = await jwks(instances[0]!)

      // A flush, or a failover to an empty replica: every key of this deployment is gone.
      const keys = await raw.keys(`${redis.prefix}*`)
      expect(keys.length).toBeGreaterThan(0)
      await raw.del(...keys)

      for (let round = 0; round < 3; round++) {
        for (const t of instances) {
          t.clock.advance(6000) // past the key-set cache: each instance reads the store again
          expect(await kidOf(t)).toBe(kid)
          expect(await jwks(t)).toBe(published)
        }
      }
      expect(await raw.exists(`${redis.prefix}kv:signing-keys`)).toBe(1)
      expect(
        instances.some((t) => t.logs.some((l) => l.includes('keys.restored_after_store_loss'))),
      ).toBe(true)
    } finally {
      await issuer.close()
    }
  })
})
