import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  durableObjectStore,
  storeObjectNames,
  type StoreNamespace,
} from '../../src/store/durable-object-store'
import { userShard } from '../../src/store/shard'
import { defineStoreConformance, sessionRecord } from '../store/store-conformance'

// The same store conformance suite as memory and Redis, against the Durable Object inside workerd.
defineStoreConformance('durable object (workerd)', async () =>
  durableObjectStore(env.STORE as StoreNamespace, `conformance-${crypto.randomUUID()}`),
)

describe('the Durable Object store in workerd', () => {
  it('purges the sliding windows of failing addresses on its alarm, so storage stays bounded', async () => {
    const namespace = env.STORE as StoreNamespace
    const name = `purge-${crypto.randomUUID()}`
    const store = durableObjectStore(namespace, name)
    const keys = Array.from({ length: 20 }, (_, i) => `authfail:198.51.100.${i}`)
    const anHourAgo = Date.now() - 3_600_000
    for (const key of keys) await store.limits.hit(key, 60_000, anHourAgo)
    await store.limits.hit('authfail:203.0.113.9', 60_000, Date.now())
    // Each key lives in the object of its shard: count and purge over all of them.
    const objectNames = [
      ...new Set([...keys, 'authfail:203.0.113.9'].map(storeObjectNames(name).limit)),
    ]
    const stubs = objectNames.map((objectName) => namespace.get(namespace.idFromName(objectName)))
    const windows = async () => {
      let total = 0
      for (const stub of stubs)
        total += await runInDurableObject(stub, (_, state) =>
          Number(state.storage.sql.exec('SELECT COUNT(*) AS n FROM windows').one().n),
        )
      return total
    }
    expect(stubs.length).toBeGreaterThan(10)
    expect(await windows()).toBe(21)
    for (const stub of stubs) expect(await runDurableObjectAlarm(stub)).toBe(true)
    // The windows from an hour ago count for nothing any more; the live one stays.
    expect(await windows()).toBe(1)
  })

  it('keeps different users in different objects, and the signing keys in their own', async () => {
    const namespace = env.STORE as StoreNamespace
    const name = `shards-${crypto.randomUUID()}`
    const store = durableObjectStore(namespace, name)
    const names = storeObjectNames(name)
    const now = Date.now()
    // Two users whose shards differ (the shard is 4 hex digits of SHA-256 of the user key).
    const users = ['iss|alice', 'iss|bob', 'iss|carol', 'iss|dave'].filter(
      (user, i, all) => all.findIndex((other) => userShard(other) === userShard(user)) === i,
    )
    const [alice, bob] = users
    if (!alice || !bob) throw new Error('two users with different shards')
    for (const userKey of [alice, bob])
      await store.sessions.create(sessionRecord(now, { userKey }), { maxPerUser: 5 })
    await store.kv.compareAndSet('signing-keys', null, 'the key set')
    const sessionsIn = (objectName: string, userKey: string) =>
      runInDurableObject(namespace.get(namespace.idFromName(objectName)), (_, state) =>
        Number(
          state.storage.sql
            .exec(`SELECT COUNT(*) AS n FROM sessions WHERE user_key = '${userKey}'`)
            .one().n,
        ),
      )
    expect(await sessionsIn(names.sessions(userShard(alice)), alice)).toBe(1)
    expect(await sessionsIn(names.sessions(userShard(alice)), bob)).toBe(0)
    expect(await sessionsIn(names.sessions(userShard(bob)), bob)).toBe(1)
    const kvIn = (objectName: string) =>
      runInDurableObject(namespace.get(namespace.idFromName(objectName)), (_, state) =>
        Number(state.storage.sql.exec('SELECT COUNT(*) AS n FROM kv').one().n),
      )
    expect(await kvIn(names.kv)).toBe(1)
    expect(await kvIn(names.sessions(userShard(alice)))).toBe(0)
  })
})
