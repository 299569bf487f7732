import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issuerEnv, startSigningIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { sessionFromToken } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const ADMIN = 'revoke-lookup-admin-key-0123456789abcdef'
let clerk: OidcIssuer
let t: TestApp

beforeAll(async () => {
  clerk = await startSigningIssuer()
  t = await makeTestApp({
    ADMIN_API_KEY: ADMIN,
    UPSTREAM_ISSUERS: issuerEnv(clerk),
    SESSION_CREATE_PER_IP: '1000',
  })
})
afterAll(() => clerk.close())

const admin = (path: string, body: object) =>
  t.app.request(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
const alive = async (secret: string) =>
  (await t.app.request('/v1/me', { headers: { Authorization: `Bearer ${secret}` } })).status === 200

describe('revoking a user without naming the issuer', () => {
  it("finds the identity provider's user by the id /v1/me shows", async () => {
    const secret = await sessionFromToken(t, await clerk.sign({ sub: 'user_2x' }))
    const response = await admin('/v1/admin/sessions/revoke', { userId: 'user_2x' })
    expect(await response.json()).toEqual({ revoked: 1 })
    expect(await alive(secret)).toBe(false)
  })

  it('finds an admin-created user by its admin: id or, as before, its bare subject', async () => {
    const made = await admin('/v1/admin/sessions', { userId: 'backend-user' })
    const { secret } = (await made.json()) as { secret: string }
    expect(
      await (await admin('/v1/admin/sessions/revoke', { userId: 'admin:backend-user' })).json(),
    ).toEqual({ revoked: 1 })
    expect(await alive(secret)).toBe(false)
    const again = (await (
      await admin('/v1/admin/sessions', { userId: 'backend-user' })
    ).json()) as { secret: string }
    expect(
      await (await admin('/v1/admin/sessions/revoke', { userId: 'backend-user' })).json(),
    ).toEqual({ revoked: 1 })
    expect(await alive(again.secret)).toBe(false)
  })

  it('refuses as ambiguous when users of several issuers with that id have sessions', async () => {
    await sessionFromToken(t, await clerk.sign({ sub: 'twin' }))
    await admin('/v1/admin/sessions', { userId: 'twin' })
    const response = await admin('/v1/admin/sessions/revoke', { userId: 'twin' })
    expect(response.status).toBe(409)
    expect(await response.json()).toMatchObject({
      code: 'conflict',
      issuers: [clerk.url, 'http://bridge.test'],
    })
    // Naming the issuer settles it.
    expect(
      await (
        await admin('/v1/admin/sessions/revoke', { userId: 'twin', issuer: clerk.url })
      ).json(),
    ).toEqual({ revoked: 1 })
  })
})
