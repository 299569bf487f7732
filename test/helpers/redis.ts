import { Redis } from 'ioredis'
import { afterAll } from 'vitest'
import { createRedisStore } from '../../adapters/redis/store'
import type { Store } from '../../src/store/types'

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A unique key prefix per test file, so suites share the one real Redis without collisions. */
function uniquePrefix(label: string): string {
  return `bkt:${label}:${Math.random().toString(36).slice(2, 8)}:`
}

/**
 * The Redis preamble of a test file: stores under one unique prefix, closed and their keys
 * deleted when the file's tests are done. `open()` returns a store that already answers.
 */
export function useRedisStores(label: string) {
  const prefix = uniquePrefix(label)
  const opened: Store[] = []
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()))
    await dropPrefix(prefix)
  })
  return {
    prefix,
    /** Remembers a store opened some other way, so it is closed with the rest. */
    track<T extends Store>(store: T): T {
      opened.push(store)
      return store
    },
    async open(): Promise<Store> {
      const store = await redisStore(prefix)
      opened.push(store)
      return store
    },
  }
}

/** A Redis store over a real connection, ready to answer. */
async function redisStore(prefix: string, url = REDIS_URL): Promise<Store> {
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
async function dropPrefix(prefix: string): Promise<void> {
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
