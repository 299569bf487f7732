import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clerkAdapter } from '../../adapters/clerk'
import { standardWebhooksAdapter } from '../../adapters/standard-webhooks'
import { issuerEnv, startSigningIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { clerkDelivery as signedClerkDelivery } from '../helpers/webhook-delivery'
import { sessionFromToken } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const SECRET = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`
let clerk: OidcIssuer
let t: TestApp

beforeAll(async () => {
  clerk = await startSigningIssuer()
  t = await makeTestApp(
    {
      UPSTREAM_ISSUERS: issuerEnv(clerk),
      CLERK_WEBHOOK_SECRET: SECRET,
      CLERK_ISSUER: clerk.url,
      STANDARD_WEBHOOK_SECRET: SECRET,
      STANDARD_WEBHOOK_ISSUER: clerk.url,
      SESSION_CREATE_PER_IP: '1000',
      SESSION_CREATE_PER_USER: '1000',
    },
    { adapters: [clerkAdapter, standardWebhooksAdapter] },
  )
})
afterAll(() => clerk.close())

/** A bridge session made from a Clerk token of `sub` (with Clerk's `sid` claim). */
/** Signed now on the bridge's clock, which the tests move past a revocation to sign in again. */
async function session(sub: string, sid = `sess_${crypto.randomUUID()}`, claims: object = {}) {
  return sessionFromToken(t, await clerk.sign({ sub, sid, ...claims }, { now: t.clock.now() }))
}

const alive = async (secret: string) =>
  (await t.app.request('/v1/me', { headers: { Authorization: `Bearer ${secret}` } })).status === 200

const clerkDelivery = (event: object, options: { id?: string; at?: Date; secret?: string } = {}) =>
  signedClerkDelivery(t, event, { ...options, secret: options.secret ?? SECRET })

describe('Clerk webhooks', () => {
  it('user.deleted revokes every session of that user, and only theirs', async () => {
    const [a, b, other] = [
      await session('user_del'),
      await session('user_del'),
      await session('user_keep'),
    ]
    const response = await clerkDelivery({
      type: 'user.deleted',
      object: 'event',
      data: { id: 'user_del', deleted: true, object: 'user' },
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'processed', revoked: 2 })
    expect(await alive(a)).toBe(false)
    expect(await alive(b)).toBe(false)
    expect(await alive(other)).toBe(true)
    expect(t.logs.join('\n')).toContain('security.webhook_user_deleted')
  })

  it('changes nothing for a bad signature, a stale timestamp or a replayed delivery id', async () => {
    const victim = await session('user_target')
    const deleted = { type: 'user.deleted', data: { id: 'user_target', deleted: true } }
    const forged = await clerkDelivery(deleted, {
      secret: `whsec_${Buffer.from('not-the-secret-of-this-endpoint!').toString('base64')}`,
    })
    expect(forged.status).toBe(401)
    expect(await forged.json()).toMatchObject({ code: 'unauthorized' })
    const stale = await clerkDelivery(deleted, { at: new Date(Date.now() - 6 * 60_000) })
    expect(stale.status).toBe(401)
    const tampered = await t.app.request('/v1/webhooks/clerk', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'svix-id': 'msg_1', 'svix-timestamp': '1' },
      body: JSON.stringify(deleted),
    })
    expect(tampered.status).toBe(401)
    expect(await alive(victim)).toBe(true)

    // The first delivery of an id acts; the same id again (re-signed, fresh timestamp) doesn't.
    const id = `msg_${crypto.randomUUID()}`
    expect((await clerkDelivery(deleted, { id })).status).toBe(200)
    expect(await alive(victim)).toBe(false)
    // A token issued after the deletion signs in (the one from before can't: not-before.ts).
    t.clock.advance(1000)
    const again = await session('user_target')
    const replay = await clerkDelivery(deleted, { id })
    expect(await replay.json()).toEqual({ status: 'duplicate', revoked: 0 })
    expect(await alive(again)).toBe(true)
    expect(t.logs.join('\n')).toContain('security.webhook_refused')
  })

  it('session.ended revokes the bridge sessions made from that Clerk session only', async () => {
    const ended = await session('user_multi', 'sess_ended')
    const kept = await session('user_multi', 'sess_kept')
    const response = await clerkDelivery({
      type: 'session.ended',
      data: { id: 'sess_ended', user_id: 'user_multi', status: 'ended' },
    })
    expect(await response.json()).toEqual({ status: 'processed', revoked: 1 })
    expect(await alive(ended)).toBe(false)
    expect(await alive(kept)).toBe(true)
  })

  it('user.updated revokes sessions whose email or roles changed, and keeps the others', async () => {
    const claims = { email: 'old@example.com', email_verified: true, roles: ['reader'] }
    const secret = await session('user_upd', undefined, claims)
    const user = (email: string, roles: string[]) => ({
      type: 'user.updated',
      data: {
        id: 'user_upd',
        primary_email_address_id: 'idn_1',
        email_addresses: [
          { id: 'idn_1', email_address: email, verification: { status: 'verified' } },
        ],
        public_metadata: { roles },
      },
    })
    expect(await (await clerkDelivery(user('old@example.com', ['reader']))).json()).toEqual({
      status: 'processed',
      revoked: 0,
    })
    expect(await alive(secret)).toBe(true)
    expect(
      await (await clerkDelivery(user('old@example.com', ['reader', 'admin']))).json(),
    ).toEqual({
      status: 'processed',
      revoked: 1,
    })
    expect(await alive(secret)).toBe(false)
    t.clock.advance(1000)
    const second = await session('user_upd', undefined, claims)
    await clerkDelivery(user('new@example.com', ['reader']))
    expect(await alive(second)).toBe(false)
  })

  it("user.updated leaves alone a session made from Clerk's default token (no email, no roles)", async () => {
    const secret = await session('user_plain')
    const response = await clerkDelivery({
      type: 'user.updated',
      data: {
        id: 'user_plain',
        primary_email_address_id: 'idn_1',
        email_addresses: [
          { id: 'idn_1', email_address: 'plain@example.com', verification: { status: 'verified' } },
        ],
        public_metadata: { roles: ['admin'] },
      },
    })
    expect(await response.json()).toEqual({ status: 'processed', revoked: 0 })
    expect(await alive(secret)).toBe(true)
  })

  it('acts once on two copies of a delivery arriving together; the other is told to retry', async () => {
    const first = await session('user_twice')
    await session('user_twice')
    const id = `msg_${crypto.randomUUID()}`
    const deleted = { type: 'user.deleted', data: { id: 'user_twice', deleted: true } }
    const logFrom = t.logs.length
    const answers = await Promise.all([
      clerkDelivery(deleted, { id }),
      clerkDelivery(deleted, { id }),
    ])
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses).toEqual([200, 409])
    const processed = answers.find((r) => r.status === 200)
    expect(await processed?.json()).toEqual({ status: 'processed', revoked: 2 })
    expect(answers.find((r) => r.status === 409)?.headers.get('retry-after')).toBe('5')
    const audited = t.logs
      .slice(logFrom)
      .filter((line) => line.includes('"session.revoked"') && line.includes('"audit":true'))
    expect(audited).toHaveLength(1)
    expect(await alive(first)).toBe(false)
    // The sender's retry is then a duplicate.
    expect(await (await clerkDelivery(deleted, { id })).json()).toEqual({
      status: 'duplicate',
      revoked: 0,
    })
  })

  it('answers events it does not act on, so the sender stops retrying', async () => {
    const response = await clerkDelivery({ type: 'organization.created', data: { id: 'org_1' } })
    expect(await response.json()).toEqual({ status: 'ignored', revoked: 0 })
  })
})

describe('Standard Webhooks', () => {
  it('user.deleted signed with webhook-* headers revokes the user’s sessions', async () => {
    const secret = await session('user_std')
    const id = `msg_${crypto.randomUUID()}`
    const now = new Date()
    const body = JSON.stringify({ type: 'user.deleted', data: { sub: 'user_std' } })
    const response = await t.app.request('/v1/webhooks/standard', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET).sign(id, now, body),
      },
      body,
    })
    expect(await response.json()).toEqual({ status: 'processed', revoked: 1 })
    expect(await alive(secret)).toBe(false)
  })

  it('refuses to start with a webhook for an issuer the bridge does not accept users from', async () => {
    await expect(
      makeTestApp(
        { CLERK_WEBHOOK_SECRET: SECRET, CLERK_ISSUER: 'https://clerk.elsewhere.example' },
        { adapters: [clerkAdapter] },
      ),
    ).rejects.toThrow(/not one of UPSTREAM_ISSUERS/)
  })
})
