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
})

/** The shared store on Redis (Node; ioredis holds TCP sockets). */
export const redisAdapter = defineAdapter({
  id: 'redis',
  env: redisEnv,
  runtimes: ['node'],
  enabled: (env) => env.REDIS_URL !== undefined,
  async setup(env, { config }) {
    const url = env.REDIS_URL ?? ''
    const { hostname, port } = new URL(url)
    // A shared store elsewhere means a deployment: development mode must then be asked for.
    if (config.mode === 'development' && !config.modeExplicit && !isLoopbackHost(hostname))
      throw new ConfigError([
        'REDIS_URL: is not on loopback, so the mode must be set: BRIDGE_MODE=production (or BRIDGE_MODE=development on loopback)',
      ])
    const { createRedisStore } = await import('./store')
    const store = createRedisStore({ url, keyPrefix: env.STORE_KEY_PREFIX })
    return { store, summary: [`store on ${hostname}:${port || 6379}`], close: () => store.close() }
  },
})
