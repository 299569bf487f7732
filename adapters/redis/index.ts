import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { ConfigError, isLoopbackHost } from '../../src/config/config'

const redisEnv = z.object({
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' })
    .optional()
    .describe(
      'Secret: `redis://` or `rediss://`, the store shared by every instance. Unset: the in-memory store (development only)',
    ),
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
  enabled: (env) => env.REDIS_URL !== undefined || env.AUDIT_STREAM !== undefined,
  async setup(env, { config }) {
    if (env.REDIS_URL === undefined)
      throw new ConfigError(['AUDIT_STREAM: needs REDIS_URL (the stream lives in that Redis)'])
    const url = env.REDIS_URL
    const { hostname, port } = new URL(url)
    // A shared store elsewhere means a deployment: development mode must then be asked for.
    if (config.mode === 'development' && !config.modeExplicit && !isLoopbackHost(hostname))
      throw new ConfigError([
        'REDIS_URL: is not on loopback, so the mode must be set: BRIDGE_MODE=production (or BRIDGE_MODE=development on loopback)',
      ])
    const [{ connectRedis }, { redisStore }, { redisAuditStream }] = await Promise.all([
      import('./client'),
      import('./store'),
      import('./audit-stream'),
    ])
    const client = connectRedis({ url })
    const store = redisStore(client, env.STORE_KEY_PREFIX)
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
      summary: [`store on ${hostname}:${port || 6379}`, ...(audit ? [audit.describe] : [])],
      close: () => store.close(),
    }
  },
})
