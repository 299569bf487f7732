import { describe, expect, it } from 'vitest'
import {
  asSession,
  bearerSession,
  devToken,
  freshIp,
  SESSION_ENV,
  signIn,
} from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'

/** On the memory store: what is tested here is the HTTP layer, not the store. */
const app = (env: Record<string, string> = {}) => makeTestApp({ ...SESSION_ENV, ...env })

describe('CSRF on cookie-authenticated writes', () => {
  it('refuses a write without an allowed Origin, allows it with one, and never checks bearer calls', async () => {
    const t = await app()
    const response = await signIn(t, 'csrf', 'cookie')
    const secret = /bk_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? ''
    const cookie = `bk_session=${secret}`
    const refresh = (headers: Record<string, string>) =>
      t.app.request('/v1/sessions/refresh', {
        method: 'POST',
        headers: { Cookie: cookie, ...headers },
      })
    const attempts: Record<string, string>[] = [
      {},
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ]
    for (const headers of attempts) {
      const refused = await refresh(headers)
      expect(refused.status).toBe(403)
      expect(await refused.json()).toMatchObject({ code: 'origin_not_allowed' })
    }
    expect((await t.app.request('/v1/me', { headers: { Cookie: cookie } })).status).toBe(200)
    expect((await refresh({ Origin: 'https://app.example' })).status).toBe(200)
    const { secret: bearer } = await bearerSession(t, 'csrf-bearer')
    expect((await asSession(t, bearer, '/v1/sessions/refresh', { method: 'POST' })).status).toBe(
      200,
    )
  })

  it('checks the upstream cookie on sign-in too', async () => {
    const t = await app()
    const token = await devToken(t, 'clerk-cookie')
    const post = (headers: Record<string, string>) =>
      t.app.request('/v1/sessions', {
        method: 'POST',
        headers: { Cookie: `__session=${token}`, 'X-Forwarded-For': freshIp(), ...headers },
      })
    expect((await post({ Origin: 'https://evil.example' })).status).toBe(403)
    expect((await post({ Origin: 'https://app.example' })).status).toBe(201)
  })
})
