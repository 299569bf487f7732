import { describe, expect, it } from 'vitest'
import type { RevocationEvent } from '../../src/sessions/revocation-hook'
import type { App } from '../../src/assembly/create-app'
import { makeTestApp, testAdapter } from '../helpers/test-app'

async function bearer(app: App, sub: string) {
  const login = (await (
    await app.request('/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sub }),
    })
  ).json()) as { token: string }
  const created = await app.request('/v1/sessions', {
    method: 'POST',
    headers: { Authorization: `Bearer ${login.token}`, 'Content-Type': 'application/json' },
    body: '{"transport":"bearer"}',
  })
  return (await created.json()) as { secret: string; session: { id: string } }
}

describe('revocation hook', () => {
  it('runs after each revocation with who and how', async () => {
    const events: RevocationEvent[] = []
    const t = await makeTestApp(
      {},
      { adapters: [testAdapter({ onSessionsRevoked: async (event) => void events.push(event) })] },
    )
    const app = t.app
    const one = await bearer(app, 'hooked')
    const two = await bearer(app, 'hooked')
    await app.request(`/v1/sessions/${one.session.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${two.secret}` },
    })
    await app.request('/v1/sessions', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${two.secret}` },
    })
    expect(events).toEqual([
      { issuer: 'http://bridge.test/dev', userId: 'hooked', scope: 'one', by: 'user' },
      { issuer: 'http://bridge.test/dev', userId: 'hooked', scope: 'all', by: 'user' },
    ])
  })

  it('never undoes or fails the revocation when the hook fails', async () => {
    const t = await makeTestApp(
      {},
      {
        adapters: [
          testAdapter({
            onSessionsRevoked: async () => Promise.reject(new Error('firebase down')),
          }),
        ],
      },
    )
    const app = t.app
    const session = await bearer(app, 'unlucky')
    expect(
      (
        await app.request('/v1/sessions', {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${session.secret}` },
        })
      ).status,
    ).toBe(200)
    expect(
      (await app.request('/v1/me', { headers: { Authorization: `Bearer ${session.secret}` } }))
        .status,
    ).toBe(401)
    expect(t.logs.some((l) => l.includes('session.revocation_hook_failed'))).toBe(true)
  })
})
