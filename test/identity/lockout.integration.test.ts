import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { REDIS_URL, useRedisStores } from '../helpers/redis'
import { bearerSession, freshIp, MINUTE, SESSION_ENV } from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'

// On Redis (one node) a session request reads the address's lockout count in the session
// lookup's own script: one command instead of two, with the same answers as the memory store's
// two calls (test/identity/lockout.test.ts).

const redis = useRedisStores('lockout')

/** The commands clients (not scripts) send to Redis while `action` runs, as MONITOR sees them. */
async function clientCommands(action: () => Promise<unknown>): Promise<string[]> {
  const monitor = await new Redis(REDIS_URL).monitor()
  const seen: string[] = []
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua') seen.push(String(args[0]).toLowerCase())
  })
  await new Promise((resolve) => setTimeout(resolve, 50))
  try {
    await action()
    await new Promise((resolve) => setTimeout(resolve, 100))
    return seen
  } finally {
    monitor.disconnect()
  }
}

describe('guessing detection with sessions on Redis', () => {
  it('answers as the two calls would: a count of its own per address, with the session', async () => {
    const store = await redis.open()
    // A single Redis node reads the count in the session script (a cluster doesn't offer it).
    expect('authenticateCounting' in store.sessions).toBe(true)
    const now = Date.now()
    const counter = { key: `authfail:${freshIp()}`, windowMs: 5 * MINUTE }
    for (let i = 0; i < 3; i++) await store.limits.hit(counter.key, counter.windowMs, now)
    const unknown = await store.sessions.authenticateCounting?.(
      'no-such-hash',
      now,
      MINUTE,
      0,
      counter,
    )
    expect(unknown).toEqual({ session: null, count: 3 })
    expect(await store.limits.peek(counter.key, counter.windowMs, now)).toBe(3)
  })

  it('locks out an address (429 even with a valid session), spares others, in one command per request', async () => {
    const store = await redis.open()
    const t = await makeTestApp({ ...SESSION_ENV, AUTH_FAILURE_LIMIT: '5' }, { store })
    const { secret } = await bearerSession(t, 'redis-lockout-victim')
    const send = (ip: string, value: string) =>
      t.app.request('/v1/me', {
        headers: { Authorization: `Bearer ${value}`, 'X-Forwarded-For': ip },
      })

    const clean = freshIp()
    // The session lookup and the lockout count: one script, no MGET of its own.
    const sent = await clientCommands(async () =>
      expect((await send(clean, secret)).status).toBe(200),
    )
    expect(sent.filter((command) => command !== 'ping')).toEqual(['evalsha'])

    const attacker = freshIp()
    for (let i = 0; i < 5; i++) {
      const wrong = `bks_0000${crypto.randomUUID().replaceAll('-', '').padEnd(39, 'x')}`
      expect((await send(attacker, wrong)).status).toBe(401)
    }
    const locked = await send(attacker, secret)
    expect(locked.status).toBe(429)
    expect(locked.headers.get('retry-after')).toBe('300')
    // A malformed credential from the locked address: still 429 (the count read on its own).
    expect((await send(attacker, 'bks_short')).status).toBe(429)
    expect((await send(clean, secret)).status).toBe(200)
    t.clock.advance(10 * MINUTE)
    expect((await send(attacker, secret)).status).toBe(200)
  })
})
