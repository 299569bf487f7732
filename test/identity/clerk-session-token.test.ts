import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSigningIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { makeTestApp, type TestApp } from '../helpers/test-app'

/**
 * Clerk's default session token, as its SDK issues it: no `aud`, `azp` the origin of the app
 * that asked, `sid`, and the active organization in `o` ({ id, rol }). The README's Clerk
 * configuration (issuer and authorizedParties only) signs it in.
 */
let clerk: OidcIssuer
let t: TestApp

beforeAll(async () => {
  clerk = await startSigningIssuer()
  t = await makeTestApp({
    UPSTREAM_ISSUERS: JSON.stringify([
      {
        issuer: clerk.url,
        authorizedParties: ['http://localhost:5173', 'https://app.example.com'],
      },
    ]),
  })
})
afterAll(() => clerk.close())

const sessionToken = (claims: Record<string, unknown>) =>
  clerk.sign({ aud: undefined, sid: 'sess_1', v: 2, ...claims }, { expiresIn: 60 })
const me = async (token: string) =>
  t.app.request('/v1/me', { headers: { Authorization: `Bearer ${token}` } })

describe("Clerk's default session token", () => {
  it('signs in with azp among authorizedParties, its organization read from o', async () => {
    const token = await sessionToken({
      sub: 'user_2x',
      azp: 'http://localhost:5173',
      o: { id: 'org_2y', rol: 'admin', slg: 'acme' },
    })
    const response = await me(token)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      userId: 'user_2x',
      orgId: 'org_2y',
      orgRole: 'admin',
    })
  })

  it('is refused from an app not among authorizedParties, or without azp', async () => {
    expect((await me(await sessionToken({ azp: 'https://evil.example' }))).status).toBe(401)
    expect((await me(await sessionToken({}))).status).toBe(401)
    expect(t.logs.some((line) => line.includes('jwt_azp_not_allowed'))).toBe(true)
  })

  it('an issuer with neither audience nor authorizedParties is refused at start-up', async () => {
    const refused = await makeTestApp({
      UPSTREAM_ISSUERS: JSON.stringify([{ issuer: clerk.url }]),
    }).catch((error: unknown) => error)
    expect(String(refused)).toMatch(/audience.*authorizedParties/)
  })
})
