import { Redis, type RedisOptions } from 'ioredis'

export type RedisClientOptions = {
  url: string
  /** Milliseconds before a command fails: the bridge answers 503 rather than hang. */
  commandTimeoutMs?: number
  /** Extra ioredis options (tests use them to point at a closed port). */
  redis?: RedisOptions
}

/**
 * A client that fails fast when Redis is down (no offline queue, one retry) and reconnects by
 * itself when it comes back. Commands issued in the same tick go out in one write
 * (auto-pipelining): a request's lockout check and session lookup cost one round trip.
 */
export function connectRedis(options: RedisClientOptions): Redis {
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1500,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    lazyConnect: false,
    enableAutoPipelining: true,
    ...options.redis,
  })
  // Connection errors surface on commands as StoreUnavailableError; don't crash on 'error'.
  client.on('error', () => {})
  return client
}
