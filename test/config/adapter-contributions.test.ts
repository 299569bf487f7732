import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/http/app-env'
import { failed, notMine, type CredentialVerifier } from '../../src/identity/verifier'
import { makeTestApp, testAdapter } from '../helpers/test-app'

/** An adapter's own link of the authenticator chain: API keys of a partner system, `pk_…`. */
const partnerKeys: CredentialVerifier = {
  kind: 'token',
  cookieName: () => 'partner_key',
  async verify(credential) {
    if (!credential.value.startsWith('pk_')) return notMine
    if (credential.value !== 'pk_live_partner_one') return failed('partner_key_unknown')
    return {
      outcome: 'verified',
      principal: {
        userId: 'partner:one',
        issuer: 'https://partner.example',
        email: undefined,
        emailVerified: false,
        roles: ['partner'],
        orgId: undefined,
        claims: {},
        sessionId: undefined,
        expiresAt: Date.now() + 60_000,
        method: 'upstream_jwt',
      },
    }
  },
}

const routes = new Hono<AppEnv>().get('/v1/partner/ping', (c) => c.json({ pong: true }))

describe("an adapter's credential verifiers and routes", () => {
  it('joins the authenticator chain between sessions and JWTs, and mounts its routes', async () => {
    const t = await makeTestApp(
      {},
      { adapters: [testAdapter({ verifiers: [partnerKeys], routes })] },
    )
    const me = await t.app.request('/v1/me', {
      headers: { Authorization: 'Bearer pk_live_partner_one' },
    })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ userId: 'partner:one', roles: ['partner'] })
    const wrong = await t.app.request('/v1/me', { headers: { Authorization: 'Bearer pk_nope' } })
    expect(wrong.status).toBe(401)
    expect(t.logs.some((line) => line.includes('partner_key_unknown'))).toBe(true)
    // Sessions are asked first, JWTs last: neither reaches the adapter's link.
    expect(
      (
        await t.app.request('/v1/me', {
          headers: { Authorization: `Bearer bks_${'0'.repeat(43)}` },
        })
      ).status,
    ).toBe(401)
    expect(await (await t.app.request('/v1/partner/ping')).json()).toEqual({ pong: true })
  })
})
