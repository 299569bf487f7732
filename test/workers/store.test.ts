import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { durableObjectStore, type StoreNamespace } from '../../src/store/durable-object-store'
import { defineStoreConformance } from '../store/store-conformance'

// The same store conformance suite as memory and Redis, against the Durable Object inside workerd.
defineStoreConformance('durable object (workerd)', async () =>
  durableObjectStore(env.STORE as StoreNamespace, `conformance-${crypto.randomUUID()}`),
)

describe('the Durable Object store in workerd', () => {
  it('purges the sliding windows of failing addresses on its alarm, so storage stays bounded', async () => {
    const namespace = env.STORE as StoreNamespace
    const name = `purge-${crypto.randomUUID()}`
    const store = durableObjectStore(namespace, name)
    const anHourAgo = Date.now() - 3_600_000
    for (let i = 0; i < 20; i++)
      await store.limits.hit(`authfail:198.51.100.${i}`, 60_000, anHourAgo)
    await store.limits.hit('authfail:203.0.113.9', 60_000, Date.now())
    const stub = namespace.get(namespace.idFromName(name))
    const windows = () =>
      runInDurableObject(stub, (_, state) =>
        Number(state.storage.sql.exec('SELECT COUNT(*) AS n FROM windows').one().n),
      )
    expect(await windows()).toBe(21)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    // The windows from an hour ago count for nothing any more; the live one stays.
    expect(await windows()).toBe(1)
  })
})
