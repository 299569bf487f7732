import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const KEK = 'q3ZP7n1kq2xgR8m4Vd0sYw5bT6uJ9eHc1LaFfNo2GpI' // 32 bytes, test only
const ADMIN = 'admin-key-for-rotation-tests-0123456789'
const SECOND = 1000
const MINUTE = 60 * SECOND

/**
 * A JWKS consumer that behaves like Hasura: it caches the key set for exactly Cache-Control
 * max-age and never refetches when it meets an unknown kid.
 */
function hasuraLikeConsumer(t: TestApp, phaseMs: number) {
  let cache: { keys: JSONWebKeySet; until: number } | undefined
  return {
    async refreshIfStale(now: number) {
      if (cache && now < cache.until) return
      if (!cache && now < phaseMs) return
      const response = await t.app.request('/.well-known/jwks.json')
      const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1])
      cache = { keys: (await response.json()) as JSONWebKeySet, until: now + maxAge * SECOND }
    },
    async accepts(token: string, now: number): Promise<boolean> {
      if (!cache) return true // not started yet
      try {
        await jwtVerify(token, createLocalJWKSet(cache.keys), {
          issuer: 'http://bridge.test',
          audience: 'hasura',
          currentDate: new Date(now),
        })
        return true
      } catch {
        return false
      }
    },
  }
}

async function runRotation(env: Record<string, string>, rotateAt: number[], durationMs: number) {
  const t = await makeTestApp({
    KEY_ENCRYPTION_KEY: KEK,
    ADMIN_API_KEY: ADMIN,
    SESSION_ABSOLUTE_TIMEOUT: '86400',
    MINT_PER_USER: '100000',
    ...env,
  })
  const created = await t.app.request('/v1/admin/sessions', {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId: 'rotating-user' }),
  })
  const { secret } = (await created.json()) as { secret: string }
  const start = t.clock.now()
  const consumers = [0, 97, 203, 299].map((s) => hasuraLikeConsumer(t, start + s * SECOND))
  const pending = [...rotateAt]
  const kids = new Set<string>()
  let failures = 0
  let minted = 0
  for (let now = start; now < start + durationMs; now += 5 * SECOND) {
    t.clock.set(now)
    if (pending[0] !== undefined && now - start >= pending[0]) {
      pending.shift()
      const rotate = await t.app.request('/v1/admin/keys/rotate', {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN}` },
      })
      expect(rotate.status).toBe(200)
    }
    for (const consumer of consumers) await consumer.refreshIfStale(now)
    const response = await t.app.request('/v1/tokens/hasura', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(response.status).toBe(200)
    const { token } = (await response.json()) as { token: string }
    minted++
    kids.add(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid)
    for (const consumer of consumers) if (!(await consumer.accepts(token, now))) failures++
  }
  const finalJwks = (await (await t.app.request('/.well-known/jwks.json')).json()) as JSONWebKeySet
  return { failures, minted, kids, finalJwks, t }
}

describe('key rotation without a failed token', () => {
  it('survives two admin rotations for consumers that cache the JWKS for max-age', async () => {
    const { failures, minted, kids, finalJwks } = await runRotation(
      { KEY_ROTATION_DAYS: '0', TOKEN_MAX_LIFETIME: '600' },
      [10 * MINUTE, 40 * MINUTE],
      80 * MINUTE,
    )
    expect(minted).toBe(960)
    expect(failures).toBe(0)
    expect(kids.size).toBe(3)
    // The first key was retired at ~15 min and is gone after its tokens expired plus the cache lifetime.
    const [first] = [...kids]
    expect(finalJwks.keys.map((k) => k.kid)).not.toContain(first)
    expect(finalJwks.keys.length).toBeLessThanOrEqual(2)
  })

  it('survives scheduled rotations too', async () => {
    // 0.01 days = 14.4 minutes per key.
    const { failures, kids } = await runRotation(
      { KEY_ROTATION_DAYS: '0.01', TOKEN_MAX_LIFETIME: '300' },
      [],
      60 * MINUTE,
    )
    expect(failures).toBe(0)
    expect(kids.size).toBeGreaterThanOrEqual(4)
  })

  it('never signs with a key before it has been published for max-age', async () => {
    // The first mint creates the bootstrap key; the rotation at 5 s publishes the next one.
    const { t } = await runRotation({ KEY_ROTATION_DAYS: '0' }, [5 * SECOND], 10 * SECOND)
    const status = (await (
      await t.app.request('/v1/admin/keys', { headers: { Authorization: `Bearer ${ADMIN}` } })
    ).json()) as { keys: { state: string; publishedAt: string; activatedAt: string | null }[] }
    const next = status.keys.find((k) => k.state === 'next')
    expect(next).toBeDefined()
    t.clock.advance(299 * SECOND)
    const still = (await (
      await t.app.request('/v1/admin/keys', { headers: { Authorization: `Bearer ${ADMIN}` } })
    ).json()) as { keys: { state: string }[] }
    expect(still.keys.filter((k) => k.state === 'next')).toHaveLength(1)
    t.clock.advance(10 * SECOND)
    const promoted = (await (
      await t.app.request('/v1/admin/keys', { headers: { Authorization: `Bearer ${ADMIN}` } })
    ).json()) as { keys: { state: string }[] }
    expect(promoted.keys.map((k) => k.state).sort()).toEqual(['active', 'retired'])
  })

  it('keeps private keys in the store only encrypted', async () => {
    const { t } = await runRotation({}, [], 5 * SECOND)
    const raw = await t.store.kv.get('signing-keys')
    const doc = JSON.parse(raw ?? '{}') as { keys: { privateJwk: string }[] }
    expect(doc.keys.length).toBeGreaterThan(0)
    for (const key of doc.keys) {
      expect(key.privateJwk.split('.')).toHaveLength(5) // JWE compact
      expect(key.privateJwk).not.toMatch(/"d"/)
    }
    expect(raw).not.toMatch(/"d":/)
    expect(t.logs.join('\n')).not.toContain(KEK)
  })

  it('refuses admin rotation of keys that come from SIGNING_KEYS', async () => {
    const t = await makeTestApp({ ADMIN_API_KEY: ADMIN })
    const response = await t.app.request('/v1/admin/keys/rotate', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    expect(response.status).toBe(409)
    expect((await t.app.request('/v1/admin/keys/rotate', { method: 'POST' })).status).toBe(401)
  })
})
