import { describe, expect, it } from 'vitest'
import { asSession, freshIp, SESSION_ENV } from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'

/** On the memory store: what is tested here is the HTTP layer, not the store. */
const app = (env: Record<string, string> = {}) => makeTestApp({ ...SESSION_ENV, ...env })

describe('admin API key', () => {
  const ADMIN = 'a'.repeat(16) + crypto.randomUUID()

  it("lets a trusted backend create a session and revoke all of a user's sessions", async () => {
    const t = await app({ ADMIN_API_KEY: ADMIN })
    const created = await t.app.request('/v1/admin/sessions', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${ADMIN}`,
        'Content-Type': 'application/json',
        'X-Forwarded-For': freshIp(),
      },
      body: JSON.stringify({ userId: 'backend-user', email: 'b@example.com', roles: ['member'] }),
    })
    expect(created.status).toBe(201)
    const { secret } = (await created.json()) as { secret: string }
    expect(await (await asSession(t, secret)).json()).toMatchObject({
      userId: 'admin:backend-user',
      roles: ['member'],
    })

    const wrong = await t.app.request('/v1/admin/sessions/revoke', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}x`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 'backend-user' }),
    })
    expect(wrong.status).toBe(401)
    const revoked = await t.app.request('/v1/admin/sessions/revoke', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 'backend-user' }),
    })
    expect(await revoked.json()).toEqual({ revoked: 1 })
    expect((await asSession(t, secret)).status).toBe(401)
  })

  it('does not treat the admin key as a user credential', async () => {
    const t = await app({ ADMIN_API_KEY: ADMIN })
    expect(
      (await t.app.request('/v1/me', { headers: { Authorization: `Bearer ${ADMIN}` } })).status,
    ).toBe(401)
    // Nor as a sign-in credential: backends create sessions at /v1/admin/sessions only.
    const signIn = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${ADMIN}`,
        'Content-Type': 'application/json',
        'X-Forwarded-For': freshIp(),
      },
      body: JSON.stringify({ transport: 'bearer' }),
    })
    expect(signIn.status).toBe(401)
  })
})
