import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis'

export type RedisClientOptions = {
  url: string
  /** Milliseconds before a command fails: the bridge answers 503 rather than hang. */
  commandTimeoutMs?: number
  /** Extra ioredis options (tests use them to point at a closed port). */
  redis?: RedisOptions
}

/** A client of one Redis, or of a Redis Cluster: the store works on either. */
export type RedisClient = Redis | Cluster

/** The oldest Redis the store's scripts run on (`PEXPIREAT … GT` is 7.0). */
const MINIMUM_REDIS_VERSION = [7, 0] as const

/**
 * Fails fast when Redis is down (no offline queue, one retry) and reconnects by itself when it
 * comes back. Commands issued in the same tick go out in one write (auto-pipelining): a
 * request's lockout check and session lookup cost one round trip.
 */
function commonOptions(options: { commandTimeoutMs?: number }): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1500,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    enableAutoPipelining: true,
  }
}

export function connectRedis(options: RedisClientOptions): Redis {
  const client = new Redis(options.url, {
    ...commonOptions(options),
    lazyConnect: false,
    ...options.redis,
  })
  // Connection errors surface on commands as StoreUnavailableError; don't crash on 'error'.
  client.on('error', () => {})
  return client
}

export type RedisClusterOptions = {
  nodes: { host: string; port: number }[]
  password?: string
  tls?: boolean
  commandTimeoutMs?: number
}

/**
 * A Redis Cluster client (ioredis `Cluster`): it learns the slot map from any listed node,
 * follows MOVED and ASK, and picks up a new master after a failover. Every key a store script
 * uses together shares a hash tag (adapters/redis/keys.ts), so each script runs on one node.
 */
export function connectRedisCluster(options: RedisClusterOptions): Cluster {
  const nodes: ClusterNode[] = options.nodes.map(({ host, port }) => ({ host, port }))
  const client = new Cluster(nodes, {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    scaleReads: 'master',
    clusterRetryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    // After a failover a command may meet MOVED or a node going away: retry on the new map.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2000,
    redisOptions: {
      ...commonOptions(options),
      password: options.password,
      ...(options.tls ? { tls: {} } : {}),
    },
  })
  client.on('error', () => {})
  return client
}

/**
 * The server's version, refused below MINIMUM_REDIS_VERSION with a message that says why. On a
 * cluster every master is asked (a mixed-version cluster during an upgrade is refused too).
 */
export async function checkRedisVersion(client: RedisClient): Promise<string> {
  const servers: Redis[] = client instanceof Cluster ? client.nodes('master') : [client]
  const versions = await Promise.all(
    servers.map(async (server) => {
      const info = await server.info('server')
      return /redis_version:([\d.]+)/.exec(info)?.[1] ?? '0'
    }),
  )
  for (const version of versions) {
    const [major = 0, minor = 0] = version.split('.').map(Number)
    const [needMajor, needMinor] = MINIMUM_REDIS_VERSION
    if (major < needMajor || (major === needMajor && minor < needMinor))
      throw new Error(
        `Redis ${version} is too old: the store needs Redis ${needMajor}.${needMinor} or newer (its scripts use PEXPIREAT … GT and SET … PXAT)`,
      )
  }
  return versions[0] ?? '0'
}
