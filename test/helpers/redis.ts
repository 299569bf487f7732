import { Redis } from 'ioredis'
import { createRedisStore } from '../../adapters/redis/store'
import type { Store } from '../../src/store/types'

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A unique key prefix per test file, so suites share the one real Redis without collisions. */
export function uniquePrefix(label: string): string {
  return `bkt:${label}:${Math.random().toString(36).slice(2, 8)}:`
}

/** A Redis store over a real connection, ready to answer. */
export async function redisStore(prefix: string, url = REDIS_URL): Promise<Store> {
  const store = createRedisStore({ url, keyPrefix: prefix })
  await waitUntil(() => store.ping())
  return store
}

export async function waitUntil(check: () => Promise<unknown>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      await check()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/** Deletes every key under a prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL)
  try {
    let cursor = '0'
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) await client.del(...keys)
    } while (cursor !== '0')
  } finally {
    client.disconnect()
  }
}
