import { describe, expect, it } from 'vitest'
import { createRedisStore } from '../../adapters/redis/store'

import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { useRedisStores, waitUntil } from '../helpers/redis'
import { startTcpProxy } from '../helpers/tcp-proxy'
import { asSession, bearerSession } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'
import { defineMultiInstanceSuite } from '../store/multi-instance-suite'

const redis = useRedisStores('shared')

const signIn = async (t: TestApp, sub: string) => (await bearerSession(t, sub)).secret
const me = (t: TestApp, secret: string) => asSession(t, secret)

defineMultiInstanceSuite('one Redis', () => redis.open())

describe('Redis going down and coming back', () => {
  it('fails closed for sessions with 503, keeps upstream JWTs working, and recovers by itself', async () => {
    const proxy = await startTcpProxy(6379)
    const issuer = await startOidcIssuer()
    await issuer.addKey('ES256')
    const store = createRedisStore({
      url: proxy.url,
      keyPrefix: redis.prefix,
      commandTimeoutMs: 500,
    })
    redis.track(store)
    await waitUntil(() => store.ping())
    const t = await makeTestApp({ UPSTREAM_ISSUERS: issuerEnv(issuer) }, { store })
    try {
      const secret = await signIn(t, 'weathered')
      const jwt = await issuer.sign({ sub: 'upstream-user' })
      expect((await me(t, secret)).status).toBe(200)

      await proxy.cut()
      const down = await me(t, secret)
      expect(down.status).toBe(503)
      expect(await down.json()).toMatchObject({ code: 'store_unavailable', status: 503 })
      expect((await t.app.request('/readyz')).status).toBe(503)
      const upstream = await me(t, jwt)
      expect(upstream.status).toBe(200)
      expect(await upstream.json()).toMatchObject({
        userId: 'upstream-user',
        method: 'upstream_jwt',
      })
      // Writing a session needs the store: that fails closed too.
      const create = await t.app.request('/v1/sessions', {
        method: 'POST',
        headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' },
        body: '{"transport":"bearer"}',
      })
      expect(create.status).toBe(503)

      // Twenty refused requests: a warn line each, without a stack, and the outage logged once.
      await Promise.all(Array.from({ length: 20 }, async () => me(t, secret)))
      const events = () => t.logs.map((line) => JSON.parse(line) as Record<string, unknown>)
      expect(events().filter((e) => e.event === 'store.outage_started')).toHaveLength(1)
      const refused = events().filter((e) => e.event === 'http.store_unavailable')
      expect(refused.length).toBeGreaterThanOrEqual(21)
      expect(refused.every((e) => e.level === 'warn' && !JSON.stringify(e).includes('stack'))).toBe(
        true,
      )
      expect(events().filter((e) => e.event === 'http.error')).toEqual([])

      await proxy.restore()
      await waitUntil(async () => {
        if ((await me(t, secret)).status !== 200) throw new Error('not yet')
      }, 10_000)
      expect((await t.app.request('/readyz')).status).toBe(200)
      expect(events().filter((e) => e.event === 'store.outage_ended')).toHaveLength(1)
    } finally {
      await proxy.close()
      await issuer.close()
    }
  })
})
