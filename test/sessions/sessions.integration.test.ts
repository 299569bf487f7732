import { Redis } from 'ioredis'
import { beforeEach, describe, expect, it } from 'vitest'
import { generateSigningJwk } from '../../src/keys/signing-key'
import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { REDIS_URL, useRedisStores } from '../helpers/redis'
import {
  asSession,
  bearerSession,
  devToken,
  freshIp,
  MINUTE,
  SESSION_ENV,
  signIn,
} from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const redis = useRedisStores('sessions')

async function redisApp(env: Record<string, string> = {}): Promise<TestApp> {
  const store = await redis.open()
  return makeTestApp({ ...SESSION_ENV, ...env }, { store })
}

describe('sessions on the real Redis', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await redisApp()
  })

  it('exchanges a verified token for a session whose secret is 256 random bits', async () => {
    const response = await signIn(t, 'alice')
    expect(response.status).toBe(201)
    const body = (await response.json()) as { session: Record<string, unknown>; secret: string }
    expect(body.secret).toMatch(/^bks_[A-Za-z0-9_-]{43}$/)
    expect(body.session).toMatchObject({ current: true, userAgent: 'vitest' })
    expect(String(body.session.id)).toMatch(/^sess_/)
    const who = await asSession(t, body.secret)
    expect(who.status).toBe(200)
    expect(await who.json()).toMatchObject({
      userId: 'alice',
      method: 'session',
      sessionId: body.session.id,
      email: 'alice@example.com',
    })
  })

  it('stores only the SHA-256 of the secret', async () => {
    const { secret } = await bearerSession(t, 'hash-only')
    const raw = new Redis(REDIS_URL)
    try {
      const keys = await raw.keys(`${redis.prefix}*`)
      expect(keys.some((k) => k.includes(secret))).toBe(false)
      for (const key of keys) {
        const type = await raw.type(key)
        const dump =
          type === 'hash'
            ? JSON.stringify(await raw.hgetall(key))
            : type === 'string'
              ? await raw.get(key)
              : ''
        expect(dump ?? '').not.toContain(secret)
        expect(dump ?? '').not.toContain(secret.slice(4))
      }
    } finally {
      raw.disconnect()
    }
  })

  it('sets a hardened cookie: __Host- over HTTPS, HttpOnly, Secure, SameSite=Lax, Path=/, no Domain', async () => {
    // A production bridge behind a TLS-terminating proxy: requests reach it over plain HTTP,
    // but PUBLIC_URL says https, so the cookie keeps its prefix and HSTS is sent.
    const idp = await startOidcIssuer()
    await idp.addKey('ES256')
    try {
      const store = await redis.open()
      const prod = await makeTestApp(
        {
          ...SESSION_ENV,
          BRIDGE_MODE: 'production',
          PUBLIC_URL: 'https://bridge.example',
          SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningJwk('ES256')] }),
          UPSTREAM_ISSUERS: issuerEnv(idp),
        },
        { store },
      )
      const token = await idp.sign({ sub: 'cookie-user' })
      const response = await prod.app.request('http://10.0.0.7:8787/v1/sessions', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'X-Forwarded-For': freshIp(),
        },
        body: JSON.stringify({ transport: 'cookie' }),
      })
      expect(response.status).toBe(201)
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
      const cookie = response.headers.get('set-cookie') ?? ''
      expect(cookie).toMatch(/^__Host-bk_session=bks_[A-Za-z0-9_-]{43};/)
      expect(cookie).toMatch(/HttpOnly/)
      expect(cookie).toMatch(/Secure/)
      expect(cookie).toMatch(/SameSite=Lax/)
      expect(cookie).toMatch(/Path=\//)
      expect(cookie).not.toMatch(/Domain=/i)
      const body = (await response.json()) as Record<string, unknown>
      expect(body.secret).toBeUndefined()
      const secret = /__Host-bk_session=([^;]+)/.exec(cookie)?.[1] ?? ''
      const who = await prod.app.request('http://10.0.0.7:8787/v1/me', {
        headers: { Cookie: `__Host-bk_session=${secret}` },
      })
      expect(who.status).toBe(200)
      // Over HTTPS a cookie without the __Host- prefix (plantable from a sibling domain) is ignored,
      // even when the request itself arrived over plain HTTP or says X-Forwarded-Proto: http.
      const planted = await prod.app.request('http://10.0.0.7:8787/v1/me', {
        headers: { Cookie: `bk_session=${secret}`, 'X-Forwarded-Proto': 'http' },
      })
      expect(planted.status).toBe(401)
    } finally {
      await idp.close()
    }
  })

  it("lists the caller sessions with the current one marked, and nobody else's", async () => {
    const first = await bearerSession(t, 'lister')
    const second = await bearerSession(t, 'lister')
    await bearerSession(t, 'someone-else')
    const response = await asSession(t, second.secret, '/v1/sessions')
    const { data } = (await response.json()) as {
      data: { id: string; current: boolean; ip: string }[]
    }
    expect(data.map((s) => s.id)).toEqual([first.id, second.id])
    expect(data.map((s) => s.current)).toEqual([false, true])
  })

  it('rotates the secret on refresh; the old one works only during the grace', async () => {
    const { secret } = await bearerSession(t, 'rotor')
    const response = await asSession(t, secret, '/v1/sessions/refresh', { method: 'POST' })
    expect(response.status).toBe(200)
    const { secret: next } = (await response.json()) as { secret: string }
    expect(next).not.toBe(secret)
    expect(next).toMatch(/^bks_[A-Za-z0-9_-]{43}$/)
    expect((await asSession(t, next)).status).toBe(200)
    expect((await asSession(t, secret)).status).toBe(200)
    t.clock.advance(20_000)
    expect((await asSession(t, next)).status).toBe(200)
  })

  it('answers a repeated refresh (its answer lost) with the same new secret, within the grace', async () => {
    const { secret } = await bearerSession(t, 'lossy-network')
    const refresh = (from: string) => asSession(t, from, '/v1/sessions/refresh', { method: 'POST' })
    const first = (await (await refresh(secret)).json()) as { secret: string }
    // The response never arrived: the client still holds only the old secret and retries.
    t.clock.advance(10_000)
    const again = await refresh(secret)
    expect(again.status).toBe(200)
    expect(((await again.json()) as { secret: string }).secret).toBe(first.secret)
    expect((await asSession(t, first.secret)).status).toBe(200)
    // Once the new secret has itself been refreshed, the first one is two generations old:
    // presenting it is a replay, which ends the session.
    const second = (await (await refresh(first.secret)).json()) as { secret: string }
    expect(second.secret).not.toBe(first.secret)
    expect((await asSession(t, second.secret)).status).toBe(200)
    expect((await refresh(secret)).status).toBe(401)
    expect((await asSession(t, second.secret)).status).toBe(401)
  })

  it('revokes the session when a superseded secret comes back after the grace (reuse detection)', async () => {
    const { secret } = await bearerSession(t, 'stolen')
    const refreshed = await asSession(t, secret, '/v1/sessions/refresh', { method: 'POST' })
    const { secret: next } = (await refreshed.json()) as { secret: string }
    t.clock.advance(31_000)
    // The thief replays the old secret: refused, and the session ends for the real user too.
    expect((await asSession(t, secret)).status).toBe(401)
    expect((await asSession(t, next)).status).toBe(401)
    const event = t.logs.map((l) => JSON.parse(l)).find((l) => l.event === 'security.session_reuse')
    expect(event).toMatchObject({ sessionId: expect.stringMatching(/^sess_/) })
    expect(event.eventId).toMatch(/^evt_/)
    expect(t.logs.join('\n')).not.toContain(secret)
  })

  it('revokes one session; its secret is refused at once', async () => {
    const a = await bearerSession(t, 'revoker')
    const b = await bearerSession(t, 'revoker')
    const response = await asSession(t, a.secret, `/v1/sessions/${b.id}`, { method: 'DELETE' })
    expect(response.status).toBe(204)
    expect((await asSession(t, b.secret)).status).toBe(401)
    expect((await asSession(t, a.secret)).status).toBe(200)
  })

  it("answers 404 for another user's session and leaves it alone", async () => {
    const mine = await bearerSession(t, 'mallory')
    const theirs = await bearerSession(t, 'victim')
    const response = await asSession(t, mine.secret, `/v1/sessions/${theirs.id}`, {
      method: 'DELETE',
    })
    expect(response.status).toBe(404)
    const missing = await asSession(
      t,
      mine.secret,
      '/v1/sessions/sess_2Ht0Y6TWdtJqtB0pS1Im0Yjq9a3',
      { method: 'DELETE' },
    )
    expect(missing.status).toBe(404)
    expect(await response.json()).toMatchObject({ code: 'not_found' })
    expect((await asSession(t, theirs.secret)).status).toBe(200)
  })

  it('signs out everywhere', async () => {
    const sessions = [await bearerSession(t, 'everywhere'), await bearerSession(t, 'everywhere')]
    const response = await asSession(t, sessions[0]?.secret ?? '', '/v1/sessions', {
      method: 'DELETE',
    })
    expect(await response.json()).toEqual({ revoked: 2 })
    for (const s of sessions) expect((await asSession(t, s.secret)).status).toBe(401)
  })

  it('clears the cookie on sign-out and refuses the replayed cookie', async () => {
    const response = await signIn(t, 'cookie-out', 'cookie')
    const secret = /bk_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? ''
    const out = await t.app.request('/v1/sessions', {
      method: 'DELETE',
      headers: { Cookie: `bk_session=${secret}`, Origin: 'https://app.example' },
    })
    expect(out.status).toBe(200)
    expect(out.headers.get('set-cookie')).toMatch(/bk_session=;.*Max-Age=0/)
    expect(
      (await t.app.request('/v1/me', { headers: { Cookie: `bk_session=${secret}` } })).status,
    ).toBe(401)
    expect((await asSession(t, secret)).status).toBe(401)
  })

  it('expires an idle session (30 min by default)', async () => {
    const { secret } = await bearerSession(t, 'idler')
    t.clock.advance(29 * MINUTE)
    expect((await asSession(t, secret)).status).toBe(200)
    t.clock.advance(29 * MINUTE)
    expect((await asSession(t, secret)).status).toBe(200)
    t.clock.advance(30 * MINUTE)
    expect((await asSession(t, secret)).status).toBe(401)
  })

  it('ends an active session at its absolute lifetime (12 h by default)', async () => {
    const { secret } = await bearerSession(t, 'marathon')
    for (let elapsed = 0; elapsed < 12 * 60 * MINUTE - 25 * MINUTE; elapsed += 25 * MINUTE) {
      t.clock.advance(25 * MINUTE)
      expect((await asSession(t, secret)).status).toBe(200)
    }
    t.clock.advance(25 * MINUTE)
    expect((await asSession(t, secret)).status).toBe(401)
  })

  it('never adopts a session value the client chose (fixation)', async () => {
    const chosen = `bks_${'A'.repeat(43)}`
    const token = await devToken(t, 'fixated')
    const response = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        Cookie: `bk_session=${chosen}`,
        'Content-Type': 'application/json',
        'X-Forwarded-For': freshIp(),
      },
      body: JSON.stringify({ transport: 'cookie' }),
    })
    expect(response.status).toBe(201)
    expect(response.headers.get('set-cookie')).not.toContain(chosen)
    expect((await asSession(t, chosen)).status).toBe(401)
    const withId = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'X-Forwarded-For': freshIp(),
      },
      body: JSON.stringify({ id: 'sess_mine', secret: chosen }),
    })
    expect(withId.status).toBe(422)
  })

  it('refuses identity fields in the body of a token exchange', async () => {
    const token = await devToken(t, 'honest')
    const response = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'X-Forwarded-For': freshIp(),
      },
      body: JSON.stringify({ userId: 'admin', roles: ['admin'] }),
    })
    expect(response.status).toBe(422)
  })

  it('never reads a session secret from the URL or the body', async () => {
    const { secret } = await bearerSession(t, 'in-the-body')
    expect((await t.app.request(`/v1/me?session=${secret}&secret=${secret}`)).status).toBe(401)
    const inBody = await t.app.request('/v1/sessions/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ secret, session: secret }),
    })
    expect(inBody.status).toBe(401)
  })

  it('changes no state on GET', async () => {
    const { secret } = await bearerSession(t, 'getter')
    expect((await asSession(t, secret, '/v1/sessions/refresh')).status).toBe(405)
    expect((await asSession(t, secret)).status).toBe(200)
  })

  it('does not let a session create another session', async () => {
    const { secret } = await bearerSession(t, 'chain')
    const response = await asSession(t, secret, '/v1/sessions', { method: 'POST' })
    expect(response.status).toBe(401)
  })

  it('caps sessions per user by evicting the oldest', async () => {
    const capped = await redisApp({ SESSION_MAX_PER_USER: '2' })
    const s1 = await bearerSession(capped, 'capped')
    const s2 = await bearerSession(capped, 'capped')
    const s3 = await bearerSession(capped, 'capped')
    expect((await asSession(capped, s1.secret)).status).toBe(401)
    expect((await asSession(capped, s2.secret)).status).toBe(200)
    expect((await asSession(capped, s3.secret)).status).toBe(200)
    expect(capped.logs.some((l) => l.includes('"by":"cap"') && l.includes('session.revoked'))).toBe(
      true,
    )
  })

  it('rate-limits session creation per user and per address', async () => {
    const limited = await redisApp({ SESSION_CREATE_PER_USER: '2', SESSION_CREATE_PER_IP: '3' })
    expect((await signIn(limited, 'hasty')).status).toBe(201)
    expect((await signIn(limited, 'hasty')).status).toBe(201)
    const refused = await signIn(limited, 'hasty')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    const ip = freshIp()
    for (const sub of ['p1', 'p2', 'p3'])
      expect((await signIn(limited, sub, 'bearer', ip)).status).toBe(201)
    expect((await signIn(limited, 'p4', 'bearer', ip)).status).toBe(429)
  })
})
