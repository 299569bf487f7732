import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clerkAdapter } from '../../adapters/clerk'
import type { RevocationEvent } from '../../src/sessions/revocation-hook'
import { issuerEnv, startSigningIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { asSession, bearerSession, sessionFromToken } from '../helpers/sign-in'
import { makeTestApp, testAdapter, type TestApp } from '../helpers/test-app'
import { clerkDelivery as signedClerkDelivery } from '../helpers/webhook-delivery'

/**
 * Every cause of a revocation goes through the session service's one revocation operation: each
 * leaves one `session.revoked` audit event naming its cause and the client address, and runs the
 * revocation hook exactly for the causes SECURITY.md ("Revocation") and revocation-hook.ts name (all but `cap`).
 */
const ADMIN = 'revocation-admin-key-0123456789abcdefghijk'
const SECRET = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`
let clerk: OidcIssuer
let t: TestApp
const hooked: RevocationEvent[] = []

beforeAll(async () => {
  clerk = await startSigningIssuer()
  t = await makeTestApp(
    {
      ADMIN_API_KEY: ADMIN,
      TRUST_PROXY: 'x-forwarded-for',
      UPSTREAM_ISSUERS: issuerEnv(clerk),
      CLERK_WEBHOOK_SECRET: SECRET,
      CLERK_ISSUER: clerk.url,
      SESSION_MAX_PER_USER: '2',
      SESSION_ROTATION_GRACE: '1',
      SESSION_CREATE_PER_IP: '1000',
      SESSION_CREATE_PER_USER: '1000',
    },
    {
      adapters: [
        clerkAdapter,
        testAdapter({ onSessionsRevoked: async (event) => void hooked.push(event) }),
      ],
    },
  )
})
afterAll(() => clerk.close())

/** The audit events `session.revoked` logged since `from` (an index into the captured log). */
function revokedSince(from: number) {
  return t.logs
    .slice(from)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.event === 'session.revoked' && line.audit === true)
}

/** Runs `act`, then returns the audit events and hook calls it caused. */
async function effectsOf(act: () => unknown) {
  const [logFrom, hookFrom] = [t.logs.length, hooked.length]
  await act()
  return { audited: revokedSince(logFrom), hooked: hooked.slice(hookFrom) }
}

const clerkSession = async (sub: string, sid: string) =>
  sessionFromToken(t, await clerk.sign({ sub, sid }), '203.0.113.9')

const clerkDelivery = (event: object) =>
  signedClerkDelivery(t, event, { secret: SECRET, headers: { 'X-Forwarded-For': '203.0.113.77' } })

describe('every revocation cause, through one operation', () => {
  it('the user ending one session: audited with its id, the hook runs', async () => {
    const a = await bearerSession(t, 'cause-user-one', '198.51.100.201')
    const effects = await effectsOf(() =>
      asSession(t, a.secret, `/v1/sessions/${a.id}`, { method: 'DELETE' }),
    )
    expect(effects.audited).toEqual([
      expect.objectContaining({ by: 'user', sessionId: a.id, ip: '192.0.2.250' }),
    ])
    expect(effects.hooked).toEqual([
      expect.objectContaining({ userId: 'dev:cause-user-one', scope: 'one', by: 'user' }),
    ])
  })

  it('the user signing out everywhere: audited with the count, the hook runs', async () => {
    await bearerSession(t, 'cause-user-all')
    const b = await bearerSession(t, 'cause-user-all')
    const effects = await effectsOf(() =>
      asSession(t, b.secret, '/v1/sessions', { method: 'DELETE' }),
    )
    expect(effects.audited).toEqual([expect.objectContaining({ by: 'user', count: 2 })])
    expect(effects.hooked).toEqual([expect.objectContaining({ scope: 'all', by: 'user' })])
  })

  it('an admin: audited with the count, the hook runs', async () => {
    const devIssuer = 'http://bridge.test/dev'
    await bearerSession(t, 'cause-admin')
    const effects = await effectsOf(() =>
      t.app.request('/v1/admin/sessions/revoke', {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: 'cause-admin', issuer: devIssuer }),
      }),
    )
    expect(effects.audited).toEqual([expect.objectContaining({ by: 'admin', count: 1 })])
    expect(effects.hooked).toEqual([
      { issuer: devIssuer, userId: 'dev:cause-admin', scope: 'all', by: 'admin' },
    ])
  })

  it('the identity provider (user deleted, session ended): audited with the provider, the hook runs', async () => {
    await clerkSession('user_gone', 'sess_a')
    const deleted = await effectsOf(() =>
      clerkDelivery({ type: 'user.deleted', data: { id: 'user_gone', deleted: true } }),
    )
    expect(deleted.audited).toEqual([
      expect.objectContaining({
        by: 'identity_provider',
        provider: 'clerk',
        count: 1,
        ip: '203.0.113.77',
      }),
    ])
    expect(deleted.hooked).toEqual([
      expect.objectContaining({ userId: 'user_gone', scope: 'all', by: 'identity_provider' }),
    ])

    const kept = await clerkSession('user_ended', 'sess_keep')
    await clerkSession('user_ended', 'sess_end')
    const ended = await effectsOf(() =>
      clerkDelivery({ type: 'session.ended', data: { id: 'sess_end', user_id: 'user_ended' } }),
    )
    expect(ended.audited).toEqual([
      expect.objectContaining({ by: 'identity_provider', provider: 'clerk', userId: 'user_ended' }),
    ])
    expect(ended.hooked).toEqual([
      expect.objectContaining({ userId: 'user_ended', scope: 'one', by: 'identity_provider' }),
    ])
    expect((await asSession(t, kept, '/v1/me')).status).toBe(200)
  })

  it('reuse of a replaced secret: audited as reuse, the hook runs', async () => {
    const a = await bearerSession(t, 'cause-reuse')
    const refreshed = await asSession(t, a.secret, '/v1/sessions/refresh', { method: 'POST' })
    expect(refreshed.status).toBe(200)
    t.clock.advance(2000) // past SESSION_ROTATION_GRACE
    const effects = await effectsOf(() => asSession(t, a.secret, '/v1/me'))
    expect(effects.audited).toEqual([expect.objectContaining({ by: 'reuse', sessionId: a.id })])
    expect(effects.hooked).toEqual([expect.objectContaining({ scope: 'one', by: 'reuse' })])
  })

  it('eviction at the per-user cap: audited as cap, the hook does not run', async () => {
    const first = await bearerSession(t, 'cause-cap')
    await bearerSession(t, 'cause-cap')
    const effects = await effectsOf(() => bearerSession(t, 'cause-cap'))
    expect(effects.audited).toEqual([expect.objectContaining({ by: 'cap', sessionId: first.id })])
    expect(effects.hooked).toEqual([])
    expect((await asSession(t, first.secret)).status).toBe(401)
  })
})
