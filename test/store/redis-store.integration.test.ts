import { createHash } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { redisAdapter } from '../../adapters/redis'
import { describe, expect, it } from 'vitest'
import { createRedisStore } from '../../adapters/redis/store'
import { redisKeys } from '../../adapters/redis/keys'
import { AUTHENTICATE } from '../../adapters/redis/scripts'
import { StoreUnavailableError } from '../../src/store/types'
import { REDIS_URL, useRedisStores } from '../helpers/redis'
import { asSession, bearerSession } from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'
import { defineStoreConformance, sessionRecord } from './store-conformance'

const redis = useRedisStores('store')
const IDLE_MS = 1_800_000

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
      const ttl = await raw.pttl(redisKeys(redis.prefix).session(record.id))
      expect(ttl).toBeGreaterThan(1_790_000)
      expect(ttl).toBeLessThanOrEqual(1_800_000)
      expect(await raw.pttl(redisKeys(redis.prefix).secret(record.secretHash))).toBeLessThanOrEqual(
        1_800_000,
      )
      const fields = await raw.hgetall(redisKeys(redis.prefix).session(record.id))
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

  it('loads its scripts again when Redis has forgotten them (a restart, a failover)', async () => {
    const store = await redis.open()
    const now = Date.now()
    const record = sessionRecord(now)
    await store.sessions.create(record, { maxPerUser: 5 })
    const raw = new Redis(REDIS_URL)
    try {
      await raw.script('FLUSH')
      // The script's SHA-1 now answers NOSCRIPT: the store sends the script itself and goes on.
      const found = await store.sessions.authenticate(record.secretHash, now + 1000, IDLE_MS)
      expect(found?.record.id).toBe(record.id)
      expect(
        await raw.script('EXISTS', createHash('sha1').update(AUTHENTICATE).digest('hex')),
      ).toEqual([1])
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

describe('redis compatibility and script errors', () => {
  it('refuses a Redis older than 7.0 at start-up, saying why', async () => {
    // A server that speaks enough RESP3 to say it is Redis 6.2 (which has HELLO but not CLIENT SETINFO).
    const server = createServer((socket) => {
      socket.on('data', (data) => {
        for (const [, command] of data.toString().matchAll(/\*\d+\r\n\$\d+\r\n(\w+)/g)) {
          const name = command?.toLowerCase()
          if (name === 'hello') socket.write('%1\r\n+server\r\n+redis\r\n')
          else if (name === 'client') socket.write('-ERR unknown subcommand\r\n')
          else if (name === 'info') {
            const info = '# Server\r\nredis_version:6.2.14\r\nloading:0\r\n'
            socket.write(`$${Buffer.byteLength(info)}\r\n${info}\r\n`)
          } else socket.write('+OK\r\n')
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      await expect(
        makeTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` }, { adapters: [redisAdapter] }),
      ).rejects.toThrow(/Redis 6\.2\.14 is too old: the store needs Redis 7\.0 or newer/)
    } finally {
      server.close()
    }
  })

  it("logs a script's real error, without the secret or the session data, and answers 503", async () => {
    const t = await makeTestApp(
      { REDIS_URL, STORE_KEY_PREFIX: redis.prefix },
      { adapters: [redisAdapter] },
    )
    try {
      const { id, secret } = await bearerSession(t, 'script-error')
      // Someone else's write made the session key a string: the script's HMGET fails.
      const raw = new Redis(REDIS_URL)
      try {
        await raw.set(redisKeys(redis.prefix).session(id), 'not a hash')
      } finally {
        raw.disconnect()
      }
      const response = await asSession(t, secret)
      expect(response.status).toBe(503)
      expect(await response.json()).toMatchObject({ code: 'store_unavailable' })
      const logged = t.logs.find((l) => l.includes('store.script_failed'))
      // The session lookup (with the address's lockout count, on one Redis node).
      expect(logged).toContain('"script":"AUTHENTICATE_COUNTING"')
      expect(logged).toContain('WRONGTYPE')
      expect(t.logs.join('\n')).not.toContain(secret)
    } finally {
      await t.close()
    }
  })
})
