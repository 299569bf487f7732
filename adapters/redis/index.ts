import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { ConfigError } from '../../src/config/config'
import type { Logger } from '../../src/observability/logger'
import type { RedisClient } from './client'

const redisEnv = z.object({
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' })
    .optional()
    .describe(
      'Secret: `redis://` or `rediss://`, the store shared by every instance. Unset: the in-memory store (development only)',
    ),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(
      /^[A-Za-z0-9.:[\]-]+:\d{1,5}(,[A-Za-z0-9.:[\]-]+:\d{1,5})*$/,
      'must be host:port,host:port,… (some of the cluster nodes)',
    )
    .optional()
    .describe(
      'Instead of `REDIS_URL`: a Redis Cluster, as `host:port,host:port,…` (any of its nodes; the rest are discovered)',
    ),
  REDIS_CLUSTER_PASSWORD: z
    .string()
    .optional()
    .describe('Secret: the password of the cluster nodes (`requirepass`), when they have one'),
  REDIS_CLUSTER_TLS: z
    .enum(['true', 'false'])
    .default('false')
    .describe('`true`: connect to the cluster nodes over TLS'),
  STORE_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,32}$/, 'use 1-32 letters, digits, ":", "_" or "-"')
    .default('bk:')
    .describe('Prefix of every Redis key'),
  AUDIT_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9:_{}-]{1,64}$/, 'use 1-64 letters, digits, ":", "_", "-", "{" or "}"')
    .optional()
    .describe(
      'Key of a Redis Stream that keeps a copy of every audit event, read back with GET /v1/admin/audit (needs REDIS_URL). Unset: audit events go to the log only',
    ),
  AUDIT_STREAM_MAX_LENGTH: z.coerce
    .number()
    .int()
    .min(1000)
    .max(100_000_000)
    .default(1_000_000)
    .describe('About how many events the audit stream keeps (older ones are trimmed)'),
})

/** The shared store on Redis (Node; ioredis holds TCP sockets). */
export const redisAdapter = defineAdapter({
  id: 'redis',
  env: redisEnv,
  runtimes: ['node'],
  enabled: (env) =>
    env.REDIS_URL !== undefined ||
    env.REDIS_CLUSTER_NODES !== undefined ||
    env.AUDIT_STREAM !== undefined,
  storeLocation: (env) =>
    env.REDIS_URL === undefined
      ? {
          setting: 'REDIS_CLUSTER_NODES',
          hosts: (env.REDIS_CLUSTER_NODES ?? '')
            .split(',')
            .filter(Boolean)
            .map((n) => parseNode(n).host),
        }
      : { setting: 'REDIS_URL', hosts: [new URL(env.REDIS_URL).hostname] },
  async setup(env, { logger }) {
    if (env.REDIS_URL !== undefined && env.REDIS_CLUSTER_NODES !== undefined)
      throw new ConfigError(['REDIS_CLUSTER_NODES: set it or REDIS_URL, not both'])
    const nodes = (env.REDIS_CLUSTER_NODES ?? '').split(',').filter(Boolean).map(parseNode)
    if (env.REDIS_URL === undefined && nodes.length === 0)
      throw new ConfigError([
        'AUDIT_STREAM: needs REDIS_URL or REDIS_CLUSTER_NODES (the stream lives in that Redis)',
      ])
    const [
      { connectRedis, connectRedisCluster, checkRedisVersion },
      { redisStore },
      { redisAuditStream },
    ] = await Promise.all([import('./client'), import('./store'), import('./audit-stream')])
    const client =
      env.REDIS_URL === undefined
        ? connectRedisCluster({
            nodes,
            password: env.REDIS_CLUSTER_PASSWORD,
            tls: env.REDIS_CLUSTER_TLS === 'true',
          })
        : connectRedis({ url: env.REDIS_URL })
    const where =
      env.REDIS_URL === undefined
        ? `Redis Cluster via ${nodes.map((n) => `${n.host}:${n.port}`).join(', ')}`
        : (() => {
            const { hostname, port } = new URL(env.REDIS_URL)
            return `${hostname}:${port || 6379}`
          })()
    try {
      await versionChecked(client, logger, checkRedisVersion)
    } catch (error) {
      client.disconnect()
      throw error
    }
    const store = redisStore(client, env.STORE_KEY_PREFIX, (script, message) =>
      logger.error('store.script_failed', { script, error: message }),
    )
    const audit =
      env.AUDIT_STREAM === undefined
        ? undefined
        : redisAuditStream(client, {
            key: env.AUDIT_STREAM,
            maxLength: env.AUDIT_STREAM_MAX_LENGTH,
          })
    return {
      store,
      audit,
      summary: [`store on ${where}`, ...(audit ? [audit.describe] : [])],
      close: () => store.close(),
    }
  },
})

function parseNode(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':')
  return {
    host: value.slice(0, colon).replace(/^\[|\]$/g, ''),
    port: Number(value.slice(colon + 1)),
  }
}

/**
 * Refuses an unsupported Redis at start-up with the reason. A Redis that isn't up yet doesn't
 * stop the start (commands answer 503 until it is): its version is checked once it connects,
 * and an unsupported one is then logged and disconnected.
 */
async function versionChecked(
  client: RedisClient,
  logger: Logger,
  check: (client: RedisClient) => Promise<string>,
): Promise<void> {
  const ready = await new Promise<boolean>((resolve) => {
    if (client.status === 'ready') return resolve(true)
    const timer = setTimeout(() => resolve(false), 2000)
    client.once('ready', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
  const refuse = (error: unknown) =>
    error instanceof Error && error.message.includes('too old') ? error : undefined
  if (ready) {
    try {
      await check(client)
    } catch (error) {
      const tooOld = refuse(error)
      if (tooOld) throw new ConfigError([`REDIS: ${tooOld.message}`])
      logger.warn('store.version_unchecked', {
        error: error instanceof Error ? error.message : String(error),
      })
    }
    return
  }
  logger.warn('store.unreachable_at_start', { detail: 'the store answers 503 until Redis is up' })
  client.once('ready', () => {
    check(client).catch((error: unknown) => {
      const tooOld = refuse(error)
      if (!tooOld) return
      logger.error('store.unsupported_version', { error: tooOld.message })
      client.disconnect()
    })
  })
}
