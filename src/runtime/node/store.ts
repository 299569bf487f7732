import { createRedisStore } from '../../../adapters/redis/store'
import type { Config } from '../../config/config'
import { createMemoryStore } from '../../store/memory-store'
import type { Store } from '../../store/types'

/** Node picks Redis when REDIS_URL is set (shared by every instance), the in-memory store otherwise. */
export function createNodeStore(config: Config): Store {
  if (config.store.redisUrl) return createRedisStore({ url: config.store.redisUrl, keyPrefix: config.store.keyPrefix })
  return createMemoryStore()
}
