import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { createRedisStore } from '../../adapters/redis/store'
import { StoreUnavailableError } from '../../src/store/types'
import { REDIS_URL, useRedisStores } from '../helpers/redis'
import { defineStoreConformance, sessionRecord } from './store-conformance'

const redis = useRedisStores('store')

defineStoreConformance('redis', async () => {
  const store = await redis.open()
  return store
})

describe('redis store specifics', () => {
  it('keeps only the hash of a secret, and lets Redis expire sessions by itself', async () => {
    const store = await redis.open()
    const now = Date.now()
    const record = sessionRecord(now, { idleExpiresAt: now + 1_800_000 })
    await store.sessions.create(record, { maxPerUser: 5 })
    const raw = new Redis(REDIS_URL)
    try {
      const ttl = await raw.pttl(`${redis.prefix}s:${record.id}`)
      expect(ttl).toBeGreaterThan(1_790_000)
      expect(ttl).toBeLessThanOrEqual(1_800_000)
      expect(await raw.pttl(`${redis.prefix}sh:${record.secretHash}`)).toBeLessThanOrEqual(
        1_800_000,
      )
      const fields = await raw.hgetall(`${redis.prefix}s:${record.id}`)
      expect(Object.keys(fields).sort()).toEqual(
        [
          'absoluteExpiresAt',
          'data',
          'idleExpiresAt',
          'lastActiveAt',
          'prevHash',
          'secretHash',
          'userKey',
        ].sort(),
      )
    } finally {
      raw.disconnect()
    }
  })

  it('fails fast with StoreUnavailableError when Redis cannot be reached', async () => {
    const store = createRedisStore({ url: 'redis://127.0.0.1:1', keyPrefix: redis.prefix })
    redis.track(store)
    const started = Date.now()
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError)
    await expect(store.sessions.authenticate('h', Date.now(), 1000)).rejects.toBeInstanceOf(
      StoreUnavailableError,
    )
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
