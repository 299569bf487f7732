import { describe, expect, it } from 'vitest'
import { bearerSession, freshIp, MINUTE, SESSION_ENV } from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'

/** On the memory store: what is tested here is the HTTP layer, not the store. */
const app = (env: Record<string, string> = {}) => makeTestApp({ ...SESSION_ENV, ...env })

describe('guessing detection', () => {
  it('locks out an address after repeated failures, logs a security event, and spares other addresses', async () => {
    const t = await app({ AUTH_FAILURE_LIMIT: '5' })
    const { secret } = await bearerSession(t, 'victim-of-noise')
    const guess = (ip: string, value: string) =>
      t.app.request('/v1/me', {
        headers: { Authorization: `Bearer ${value}`, 'X-Forwarded-For': ip },
      })
    const attacker = freshIp()
    for (let i = 0; i < 5; i++) {
      const wrong = `bks_${crypto.randomUUID().replaceAll('-', '').padEnd(43, 'x')}`
      expect((await guess(attacker, wrong)).status).toBe(401)
    }
    const locked = await guess(attacker, secret)
    expect(locked.status).toBe(429)
    expect(locked.headers.get('retry-after')).toBe('300')
    expect((await guess(freshIp(), secret)).status).toBe(200)
    const event = t.logs.map((l) => JSON.parse(l)).find((l) => l.event === 'security.auth_lockout')
    expect(event).toMatchObject({ ip: attacker, failures: 5 })
    expect(event.eventId).toMatch(/^evt_/)
    expect(t.logs.join('\n')).not.toContain(secret)
    t.clock.advance(10 * MINUTE)
    expect((await guess(attacker, secret)).status).toBe(200)
  })

  it('counts the failures of an IPv6 /64 together, and spares the next /64', async () => {
    const t = await app({ AUTH_FAILURE_LIMIT: '5' })
    const { secret } = await bearerSession(t, 'ipv6-user')
    const guess = (ip: string, value: string) =>
      t.app.request('/v1/me', {
        headers: { Authorization: `Bearer ${value}`, 'X-Forwarded-For': ip },
      })
    for (let i = 1; i <= 5; i++) {
      const wrong = `bks_${crypto.randomUUID().replaceAll('-', '').padEnd(43, 'x')}`
      // A new address of the same /64 for every guess: what a client that owns the /64 can do.
      expect((await guess(`2001:db8:77:1::${i.toString(16)}`, wrong)).status).toBe(401)
    }
    expect((await guess('2001:db8:77:1:ffff::42', secret)).status).toBe(429)
    expect((await guess('2001:db8:77:2::1', secret)).status).toBe(200)
  })
})
