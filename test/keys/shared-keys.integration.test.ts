import { describe, expect, it } from 'vitest'

import { createRedisStore } from '../../adapters/redis/store'
import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { useRedisStores, waitUntil } from '../helpers/redis'
import { startTcpProxy } from '../helpers/tcp-proxy'
import { makeTestApp } from '../helpers/test-app'

const KEK = 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE'
const redis = useRedisStores('keys')

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
