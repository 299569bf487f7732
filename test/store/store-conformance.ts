import { beforeEach, describe, expect, it } from 'vitest'
import { newId } from '../../src/ids/prefixed-id'
import { shardOfSessionId, userShard } from '../../src/store/shard'
import type { SessionRecord, Store } from '../../src/store/types'

const MINUTE = 60_000
const IDLE = 30 * MINUTE
const ABSOLUTE = 12 * 60 * MINUTE

export function sessionRecord(now: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  const userKey = overrides.userKey ?? `iss|user-${Math.random().toString(36).slice(2)}`
  const shard = userShard(userKey)
  return {
    id: `${newId('sess', now)}_${shard}`,
    userKey,
    secretHash: `${shard}.${crypto.randomUUID()}`,
    principal: {
      userId: userKey.split('|')[1] ?? 'u',
      issuer: 'https://issuer.test',
      email: 'a@example.com',
      emailVerified: true,
      roles: [],
      orgId: undefined,
      claims: { sub: 'u', nested: { roles: [] } },
    },
    createdAt: now,
    lastActiveAt: now,
    idleExpiresAt: now + IDLE,
    absoluteExpiresAt: now + ABSOLUTE,
    userAgent: 'vitest',
    ip: '127.0.0.1',
    ...overrides,
  }
}

/** Another secret hash of the record's session, as a rotation makes (same shard). */
const hashOf = (record: SessionRecord, name: string) => `${shardOfSessionId(record.id)}.${name}`

/**
 * One suite every Store must pass: memory, Redis (real server) and, in workerd, the Durable
 * Object store. It pins the semantics the session and limit code relies on.
 */
export function defineStoreConformance(name: string, makeStore: () => Promise<Store>) {
  describe(`store conformance: ${name}`, () => {
    let store: Store
    let now: number
    beforeEach(async () => {
      store = await makeStore()
      now = Date.now()
    })

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined()
    })

    it('creates a session and finds it by its secret hash only', async () => {
      const record = sessionRecord(now)
      await store.sessions.create(record, { maxPerUser: 10 })
      const found = await store.sessions.authenticate(record.secretHash, now + 1000, IDLE)
      expect(found?.viaPreviousSecret).toBe(false)
      expect(found?.record).toMatchObject({
        id: record.id,
        userKey: record.userKey,
        // Opaque JSON: what went in comes back (members that were undefined are dropped).
        principal: JSON.parse(JSON.stringify(record.principal)) as unknown,
      })
      expect(found?.record.principal.roles).toEqual([])
      expect(await store.sessions.authenticate('h-unknown', now, IDLE)).toBeNull()
      expect(await store.sessions.authenticate(record.id, now, IDLE)).toBeNull()
    })

    it('slides the idle expiry on use, never past the absolute one', async () => {
      const record = sessionRecord(now)
      await store.sessions.create(record, { maxPerUser: 10 })
      const touched = await store.sessions.authenticate(record.secretHash, now + 20 * MINUTE, IDLE)
      expect(touched?.record.lastActiveAt).toBe(now + 20 * MINUTE)
      expect(touched?.record.idleExpiresAt).toBe(now + 50 * MINUTE)
      const late = now + ABSOLUTE - 5 * MINUTE
      // keep it alive up to near the absolute limit
      let t = now + 20 * MINUTE
      while (t + 25 * MINUTE < late) {
        t += 25 * MINUTE
        expect(await store.sessions.authenticate(record.secretHash, t, IDLE)).not.toBeNull()
      }
      const final = await store.sessions.authenticate(record.secretHash, late, IDLE)
      expect(final?.record.idleExpiresAt).toBe(now + ABSOLUTE)
      expect(await store.sessions.authenticate(record.secretHash, now + ABSOLUTE, IDLE)).toBeNull()
    })

    it('writes no touch within touchAfterMs of the last one, and slides it after', async () => {
      const record = sessionRecord(now)
      await store.sessions.create(record, { maxPerUser: 10 })
      const first = await store.sessions.authenticate(record.secretHash, now + 10_000, IDLE, 5000)
      expect(first?.record.lastActiveAt).toBe(now + 10_000)
      // A moment later: found, but not touched (the expiry stays where the last touch put it).
      const soon = await store.sessions.authenticate(record.secretHash, now + 13_000, IDLE, 5000)
      expect(soon?.record).toMatchObject({
        lastActiveAt: now + 10_000,
        idleExpiresAt: now + 10_000 + IDLE,
      })
      const later = await store.sessions.authenticate(record.secretHash, now + 15_000, IDLE, 5000)
      expect(later?.record.idleExpiresAt).toBe(now + 15_000 + IDLE)
      // The untouched window never keeps a session past its idle expiry.
      expect(
        await store.sessions.authenticate(record.secretHash, now + 15_000 + IDLE, IDLE, 5000),
      ).toBeNull()
    })

    it('expires an idle session', async () => {
      const record = sessionRecord(now)
      await store.sessions.create(record, { maxPerUser: 10 })
      expect(await store.sessions.authenticate(record.secretHash, now + IDLE, IDLE)).toBeNull()
      expect(await store.sessions.get(record.id, now + IDLE)).toBeNull()
      expect(await store.sessions.list(record.userKey, now + IDLE)).toEqual([])
    })

    it('rotates the secret: the old one works only during the grace, then is reported superseded', async () => {
      const record = sessionRecord(now)
      await store.sessions.create(record, { maxPerUser: 10 })
      const rotated = await store.sessions.rotate(
        record.id,
        record.secretHash,
        hashOf(record, 'next'),
        now,
        30_000,
      )
      expect(rotated?.secretHash).toBe(hashOf(record, 'next'))
      expect(
        (await store.sessions.authenticate(hashOf(record, 'next'), now + 1000, IDLE))
          ?.viaPreviousSecret,
      ).toBe(false)
      expect(
        (await store.sessions.authenticate(record.secretHash, now + 1000, IDLE))?.viaPreviousSecret,
      ).toBe(true)
      const late = await store.sessions.authenticate(record.secretHash, now + 30_000, IDLE)
      expect(late).toMatchObject({ superseded: true, viaPreviousSecret: true })
      expect(late?.record.id).toBe(record.id)
      const current = await store.sessions.authenticate(hashOf(record, 'next'), now + 31_000, IDLE)
      expect(current).toMatchObject({ superseded: false, viaPreviousSecret: false })
      // Two generations back is superseded too, whatever the grace.
      await store.sessions.rotate(
        record.id,
        hashOf(record, 'next'),
        hashOf(record, 'third'),
        now + 32_000,
        30_000,
      )
      expect(
        (await store.sessions.authenticate(record.secretHash, now + 33_000, IDLE))?.superseded,
      ).toBe(true)
      expect(
        (await store.sessions.authenticate(hashOf(record, 'next'), now + 33_000, IDLE))?.superseded,
      ).toBe(false)
    })

    it('refuses to rotate from a secret that is no longer current', async () => {
      const record = sessionRecord(now)
      await store.sessions.create(record, { maxPerUser: 10 })
      expect(
        await store.sessions.rotate(record.id, record.secretHash, hashOf(record, 'a'), now, 30_000),
      ).not.toBeNull()
      expect(
        await store.sessions.rotate(record.id, record.secretHash, hashOf(record, 'b'), now, 30_000),
      ).toBeNull()
      expect(await store.sessions.authenticate(hashOf(record, 'b'), now, IDLE)).toBeNull()
    })

    it('lets exactly one of two concurrent rotations win', async () => {
      const record = sessionRecord(now)
      await store.sessions.create(record, { maxPerUser: 10 })
      const results = await Promise.all(
        ['1', '2', '3', '4']
          .map((name) => hashOf(record, name))
          .map((next) => store.sessions.rotate(record.id, record.secretHash, next, now, 0)),
      )
      expect(results.filter((r) => r !== null)).toHaveLength(1)
      // With no grace, the replaced secret is superseded at once.
      expect((await store.sessions.authenticate(record.secretHash, now, IDLE))?.superseded).toBe(
        true,
      )
    })

    it('revokes a session: every secret that led to it stops working', async () => {
      const record = sessionRecord(now)
      await store.sessions.create(record, { maxPerUser: 10 })
      await store.sessions.rotate(record.id, record.secretHash, hashOf(record, 'next'), now, 60_000)
      const revoked = await store.sessions.revoke(record.id)
      expect(revoked?.id).toBe(record.id)
      expect(await store.sessions.authenticate(hashOf(record, 'next'), now, IDLE)).toBeNull()
      expect(await store.sessions.authenticate(record.secretHash, now, IDLE)).toBeNull()
      expect(await store.sessions.revoke(record.id)).toBeNull()
    })

    it('lists and revokes all sessions of one user only', async () => {
      const a1 = sessionRecord(now, { userKey: `iss|a-${now}` })
      const a2 = sessionRecord(now + 1, { userKey: a1.userKey })
      const b = sessionRecord(now, { userKey: `iss|b-${now}` })
      for (const r of [a1, a2, b]) await store.sessions.create(r, { maxPerUser: 10 })
      expect((await store.sessions.list(a1.userKey, now)).map((r) => r.id)).toEqual([a1.id, a2.id])
      expect(await store.sessions.revokeUser(a1.userKey)).toBe(2)
      expect(await store.sessions.list(a1.userKey, now)).toEqual([])
      expect(await store.sessions.authenticate(a2.secretHash, now, IDLE)).toBeNull()
      expect(await store.sessions.authenticate(b.secretHash, now, IDLE)).not.toBeNull()
    })

    it('caps sessions per user by evicting the oldest', async () => {
      const userKey = `iss|cap-${now}`
      const records = [0, 1, 2, 3].map((i) => sessionRecord(now + i, { userKey }))
      const evictions: string[][] = []
      for (const r of records)
        evictions.push((await store.sessions.create(r, { maxPerUser: 3 })).evicted)
      expect(evictions.flat()).toEqual([records[0]?.id])
      expect(
        await store.sessions.authenticate(records[0]?.secretHash ?? '', now + 10, IDLE),
      ).toBeNull()
      expect((await store.sessions.list(userKey, now + 10)).map((r) => r.id)).toEqual(
        records.slice(1).map((r) => r.id),
      )
    })

    it('counts events in a sliding window', async () => {
      const key = `hits-${now}-${Math.random()}`
      const window = 60_000
      const start = now - (now % window)
      for (let i = 1; i <= 5; i++) expect(await store.limits.hit(key, window, start + i)).toBe(i)
      expect(await store.limits.peek(key, window, start + 10)).toBe(5)
      // Half-way through the next window, half of the previous one still counts.
      expect(await store.limits.peek(key, window, start + window + window / 2)).toBe(2)
      expect(await store.limits.peek(key, window, start + 3 * window)).toBe(0)
    })

    it('runs a token bucket that refills over time', async () => {
      const key = `bucket-${now}-${Math.random()}`
      for (let i = 0; i < 5; i++)
        expect((await store.limits.take(key, 5, 1000, now)).allowed).toBe(true)
      const refused = await store.limits.take(key, 5, 1000, now)
      expect(refused).toMatchObject({ allowed: false, remaining: 0 })
      expect(refused.retryAfterMs).toBe(200)
      expect((await store.limits.take(key, 5, 1000, now + 200)).allowed).toBe(true)
      expect((await store.limits.take(key, 5, 1000, now + 200)).allowed).toBe(false)
      expect((await store.limits.take(key, 5, 1000, now + 5000)).remaining).toBe(4)
    })

    it('never lets concurrent takers overdraw a bucket', async () => {
      const key = `race-${now}-${Math.random()}`
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.limits.take(key, 5, 60_000, now)),
      )
      expect(results.filter((r) => r.allowed)).toHaveLength(5)
    })

    it('compares and sets values', async () => {
      const key = `kv-${now}-${Math.random()}`
      expect(await store.kv.get(key)).toBeNull()
      expect(await store.kv.compareAndSet(key, null, 'one')).toBe(true)
      expect(await store.kv.compareAndSet(key, null, 'two')).toBe(false)
      expect(await store.kv.compareAndSet(key, 'one', 'two')).toBe(true)
      expect(await store.kv.get(key)).toBe('two')
    })

    it('keeps the latest "not before" per user and scope, reads several scopes at once, and forgets after the TTL', async () => {
      const user = `iss|nb-${now}-${Math.random()}`
      const other = `iss|nb-other-${now}-${Math.random()}`
      const hour = 3_600_000
      expect(await store.notBefore.latest(user, ['', 'sid:a'], now)).toBe(0)
      await store.notBefore.raise(user, 'sid:a', now - 500, hour, now)
      // An earlier time never lowers a record.
      await store.notBefore.raise(user, 'sid:a', now - 900, hour, now)
      expect(await store.notBefore.latest(user, ['sid:a'], now)).toBe(now - 500)
      await store.notBefore.raise(user, '', now - 100, hour, now)
      expect(await store.notBefore.latest(user, ['', 'sid:a'], now)).toBe(now - 100)
      expect(await store.notBefore.latest(user, ['sid:b'], now)).toBe(0)
      expect(await store.notBefore.latest(other, ['', 'sid:a'], now)).toBe(0)
      // The TTL runs on the store's clock too (Redis expires keys itself): a short one, waited out.
      await store.notBefore.raise(other, '', now, 50, Date.now())
      await new Promise((resolve) => setTimeout(resolve, 120))
      expect(await store.notBefore.latest(other, [''], Date.now())).toBe(0)
    })
  })
}
