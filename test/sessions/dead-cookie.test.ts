import { describe, expect, it } from 'vitest'
import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { bearerSession, devToken, freshIp, SESSION_ENV } from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'

const ORIGIN = 'https://app.example'
const HOURS = 3_600_000

/** A cookie-only client: signs in with its upstream cookie, gets a session cookie back. */
async function cookieClient(env: Record<string, string> = {}) {
  const t = await makeTestApp({ ...SESSION_ENV, ...env })
  const ip = freshIp()
  const upstream = await devToken(t, 'cookie-only')
  const signIn = (cookies: string) =>
    t.app.request('/v1/sessions', {
      method: 'POST',
      headers: { Cookie: cookies, Origin: ORIGIN, 'X-Forwarded-For': ip },
    })
  const first = await signIn(`__session=${upstream}`)
  expect(first.status).toBe(201)
  const session = /bk_session=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1] ?? ''
  return { t, ip, session, signIn }
}

describe('a dead session cookie', () => {
  it('does not block signing in with the upstream cookie beside it', async () => {
    const { t, session, signIn } = await cookieClient()
    t.clock.advance(13 * HOURS) // past the absolute lifetime: the session cookie is dead
    const upstream = await devToken(t, 'cookie-only') // the IdP's cookie is refreshed by its SDK
    const again = await signIn(`bk_session=${session}; __session=${upstream}`)
    expect(again.status).toBe(201)
    expect(again.headers.get('set-cookie')).toMatch(/^bk_session=bks_/)
  })

  it('is cleared by the 401 it causes', async () => {
    const { t, ip, session } = await cookieClient()
    t.clock.advance(13 * HOURS)
    const response = await t.app.request('/v1/me', {
      headers: { Cookie: `bk_session=${session}`, 'X-Forwarded-For': ip },
    })
    expect(response.status).toBe(401)
    const cleared = response.headers.get('set-cookie') ?? ''
    expect(cleared).toMatch(/^bk_session=;/)
    expect(cleared).toMatch(/Max-Age=0/)
    expect(cleared).toMatch(/Path=\//)
    expect(cleared).not.toContain(session)
  })

  it('counts once against the address, however often it comes back; new guesses still count', async () => {
    const { t, ip, session } = await cookieClient({ AUTH_FAILURE_LIMIT: '5' })
    t.clock.advance(13 * HOURS)
    const me = (cookie: string) =>
      t.app.request('/v1/me', {
        headers: { Cookie: `bk_session=${cookie}`, 'X-Forwarded-For': ip },
      })
    for (let i = 0; i < 20; i++) expect((await me(session)).status).toBe(401)
    const { secret } = await bearerSession(t, 'same-address', ip)
    const asBearer = () =>
      t.app.request('/v1/me', {
        headers: { Authorization: `Bearer ${secret}`, 'X-Forwarded-For': ip },
      })
    expect((await asBearer()).status).toBe(200)
    for (let i = 0; i < 4; i++) {
      const guess = `bks_${crypto.randomUUID().replaceAll('-', '').padEnd(43, 'g')}`
      expect((await me(guess)).status).toBe(401)
    }
    expect((await asBearer()).status).toBe(429)
  })
})

describe('failures on the bridge side', () => {
  it('do not count against the client when an identity provider is unreachable', async () => {
    const idp = await startOidcIssuer()
    await idp.addKey('ES256')
    try {
      const t = await makeTestApp({
        ...SESSION_ENV,
        AUTH_FAILURE_LIMIT: '3',
        UPSTREAM_ISSUERS: issuerEnv(idp),
      })
      const ip = freshIp()
      const token = await idp.sign({ sub: 'patient-user' })
      idp.setAvailable(false)
      const me = () =>
        t.app.request('/v1/me', {
          headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': ip },
        })
      for (let i = 0; i < 6; i++) expect((await me()).status).toBe(401)
      expect(t.logs.some((l) => l.includes('security.auth_unverifiable'))).toBe(true)
      idp.setAvailable(true)
      expect((await me()).status).toBe(200)
    } finally {
      await idp.close()
    }
  })
})
