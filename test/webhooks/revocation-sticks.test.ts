import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clerkAdapter } from '../../adapters/clerk'
import { issuerEnv, startSigningIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { makeTestApp, type TestApp } from '../helpers/test-app'
import { clerkDelivery } from '../helpers/webhook-delivery'

/**
 * Revocations by the identity provider (and an admin) stick: the upstream tokens issued before
 * them can't sign in again, call /v1/me, mint or pass the Hasura auth webhook, though they are
 * still within their `exp`; tokens issued afterwards work (SECURITY.md, "Revocation").
 */
const SECRET = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`
const ADMIN = 'revocation-sticks-admin-key-0123456789ab'
const HOOK_SECRET = 'hasura-hook-secret-0123456789abcdefghij'
let clerk: OidcIssuer
let t: TestApp

beforeAll(async () => {
  clerk = await startSigningIssuer()
  t = await makeTestApp(
    {
      ADMIN_API_KEY: ADMIN,
      UPSTREAM_ISSUERS: issuerEnv(clerk),
      CLERK_WEBHOOK_SECRET: SECRET,
      CLERK_ISSUER: clerk.url,
      AUTH_FAILURE_LIMIT: '100000',
      HASURA_WEBHOOK_SECRET: HOOK_SECRET,
    },
    { adapters: [clerkAdapter] },
  )
})
afterAll(() => clerk.close())

/** A Clerk token of `sub` in Clerk session `sid`, issued now on the bridge's clock. */
const token = (sub: string, sid: string) =>
  clerk.sign({ sub, sid }, { now: t.clock.now(), expiresIn: 3600 })

/** What each door answers the token: sign-in, /v1/me, a Hasura mint, Hasura's auth webhook. */
async function doors(jwt: string) {
  const auth = { Authorization: `Bearer ${jwt}` }
  const [signIn, me, mint, hook] = await Promise.all([
    t.app.request('/v1/sessions', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ transport: 'bearer' }),
    }),
    t.app.request('/v1/me', { headers: auth }),
    t.app.request('/v1/tokens/hasura', { method: 'POST', headers: auth }),
    t.app.request(`/v1/integrations/hasura/webhook?secret=${HOOK_SECRET}`, { headers: auth }),
  ])
  return [signIn.status, me.status, mint.status, hook.status]
}
const OPEN = [201, 200, 200, 200]
const SHUT = [401, 401, 401, 401]

const deliver = (event: object) => clerkDelivery(t, event, { secret: SECRET })

describe('identity-provider revocations stick', () => {
  it("session.ended: that Clerk session's tokens are refused at every door, the user's others work", async () => {
    const ended = await token('user_s', 'sess_ended')
    const other = await token('user_s', 'sess_other')
    // Used (and so cached as verified) before the revocation.
    expect(await doors(ended)).toEqual(OPEN)
    const response = await deliver({
      type: 'session.ended',
      data: { id: 'sess_ended', user_id: 'user_s', status: 'ended' },
    })
    expect(response.status).toBe(200)
    expect(await doors(ended)).toEqual(SHUT)
    expect(await doors(other)).toEqual(OPEN)
    // A token issued after the revocation works, whatever session it names.
    t.clock.advance(1000)
    expect(await doors(await token('user_s', 'sess_ended'))).toEqual(OPEN)
  })

  it('user.deleted: no token issued before it works; one issued after does', async () => {
    const before = await token('user_d', 'sess_1')
    const otherUser = await token('user_keep', 'sess_1')
    expect(await doors(before)).toEqual(OPEN)
    await deliver({ type: 'user.deleted', data: { id: 'user_d', deleted: true } })
    expect(await doors(before)).toEqual(SHUT)
    expect(await doors(await token('user_d', 'sess_9'))).toEqual(SHUT)
    expect(await doors(otherUser)).toEqual(OPEN)
    t.clock.advance(1000)
    expect(await doors(await token('user_d', 'sess_2'))).toEqual(OPEN)
  })

  it("an admin's revocation of a user sticks the same way", async () => {
    const before = await token('user_a', 'sess_1')
    expect(await doors(before)).toEqual(OPEN)
    const revoked = await t.app.request('/v1/admin/sessions/revoke', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 'user_a', issuer: clerk.url }),
    })
    expect(revoked.status).toBe(200)
    expect(await doors(before)).toEqual(SHUT)
    t.clock.advance(1000)
    expect(await doors(await token('user_a', 'sess_2'))).toEqual(OPEN)
  })

  it("a user's own sign-out ends only the bridge's sessions, not their identity-provider tokens", async () => {
    const jwt = await token('user_out', 'sess_1')
    const created = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ transport: 'bearer' }),
    })
    const { secret } = (await created.json()) as { secret: string }
    const out = await t.app.request('/v1/sessions', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(out.status).toBe(200)
    expect(await doors(jwt)).toEqual(OPEN)
  })

  it('refuses an upstream token whose lifetime is longer than UPSTREAM_MAX_TOKEN_LIFETIME', async () => {
    const long = await clerk.sign(
      { sub: 'user_long', sid: 'sess_1' },
      { now: t.clock.now(), expiresIn: 2 * 86_400 },
    )
    expect(
      (await t.app.request('/v1/me', { headers: { Authorization: `Bearer ${long}` } })).status,
    ).toBe(401)
    expect(t.logs.some((line) => line.includes('jwt_lifetime_too_long'))).toBe(true)
  })

  it('organization membership changes reach sessions and tokens: a demoted admin, a removed member', async () => {
    const adminToken = await clerk.sign(
      { sub: 'user_m', sid: 'sess_m', org_id: 'org_acme', org_role: 'org:admin' },
      { now: t.clock.now(), expiresIn: 3600 },
    )
    const created = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ transport: 'bearer' }),
    })
    const { secret } = (await created.json()) as { secret: string }
    const me = (credential: string) =>
      t.app.request('/v1/me', { headers: { Authorization: `Bearer ${credential}` } })
    expect((await me(secret)).status).toBe(200)
    const membership = (type: string, role: string) =>
      deliver({
        type,
        data: {
          object: 'organization_membership',
          role,
          organization: { id: 'org_acme' },
          public_user_data: { user_id: 'user_m' },
        },
      })
    // The same role again changes nothing.
    expect(await (await membership('organizationMembership.updated', 'org:admin')).json()).toEqual({
      status: 'processed',
      revoked: 0,
    })
    expect(await (await membership('organizationMembership.updated', 'org:member')).json()).toEqual(
      {
        status: 'processed',
        revoked: 1,
      },
    )
    expect((await me(secret)).status).toBe(401)
    expect((await me(adminToken)).status).toBe(401)
    t.clock.advance(1000)
    const memberToken = await clerk.sign(
      { sub: 'user_m', sid: 'sess_m', org_id: 'org_acme', org_role: 'org:member' },
      { now: t.clock.now(), expiresIn: 3600 },
    )
    expect((await me(memberToken)).status).toBe(200)
    await membership('organizationMembership.deleted', 'org:member')
    expect((await me(memberToken)).status).toBe(401)
  })
})
