import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callAuthHook } from '../fakes/hasura-hook-caller'
import { issuerEnv, startOidcIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { serveApp } from '../helpers/serve'
import { bearerSession } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

let t: TestApp
let issuer: OidcIssuer
let server: Awaited<ReturnType<typeof serveApp>>
let hook: string

beforeAll(async () => {
  issuer = await startOidcIssuer()
  await issuer.addKey('ES256')
  t = await makeTestApp({
    UPSTREAM_ISSUERS: issuerEnv(issuer, { userIdPrefix: 'idp:', claims: { roles: 'roles' } }),
    BRIDGE_MODE: 'development',
    HASURA_WEBHOOK_MAX_AGE: '120',
    SESSION_IDLE_TIMEOUT: '600',
    TRUST_PROXY: 'x-forwarded-for',
  })
  server = await serveApp(t.app)
  hook = `${server.url}/v1/integrations/hasura/webhook`
})
afterAll(async () => {
  await server.close()
  await issuer.close()
})

describe('Hasura webhook mode', () => {
  it.each(['GET', 'POST'] as const)(
    '%s: answers a session with its variables, and refuses it once revoked',
    async (mode) => {
      const { id, secret } = await bearerSession(t, `hook-${mode}`)
      const client = {
        Authorization: `Bearer ${secret}`,
        'Content-Type': 'application/json',
        'User-Agent': 'browser',
      }
      const allowed = await callAuthHook(hook, mode, client)
      expect(allowed).toEqual({
        allowed: true,
        variables: {
          'x-hasura-role': 'user',
          'x-hasura-user-id': `hook-${mode}`,
          'x-hasura-email': `hook-${mode}@example.com`,
        },
        maxAgeSeconds: 120,
      })
      const revoked = await t.app.request(`/v1/sessions/${id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${secret}` },
      })
      expect(revoked.status).toBe(204)
      expect(await callAuthHook(hook, mode, client)).toEqual({ allowed: false, status: 401 })
    },
  )

  it('answers an upstream JWT, never caching past the token’s end', async () => {
    const token = await issuer.sign({ roles: ['editor'] }, { expiresIn: 45 })
    const outcome = await callAuthHook(hook, 'GET', { Authorization: `Bearer ${token}` })
    expect(outcome.allowed).toBe(true)
    if (!outcome.allowed) return
    expect(outcome.variables).toMatchObject({
      'x-hasura-role': 'user',
      'x-hasura-user-id': 'idp:user_1',
    })
    expect(outcome.maxAgeSeconds).toBeGreaterThan(0)
    expect(outcome.maxAgeSeconds).toBeLessThanOrEqual(45)
  })

  it('honours X-Hasura-Role only for a role the user may assume', async () => {
    const token = await issuer.sign({ roles: ['editor'] })
    const as = (role: string) =>
      callAuthHook(hook, 'GET', { Authorization: `Bearer ${token}`, 'X-Hasura-Role': role })
    expect(await as('editor')).toMatchObject({
      allowed: true,
      variables: { 'x-hasura-role': 'editor' },
    })
    expect(await as('user')).toMatchObject({
      allowed: true,
      variables: { 'x-hasura-role': 'user' },
    })
    expect(await as('admin')).toEqual({ allowed: false, status: 401 })
    // In POST mode the role header travels in the body like every client header.
    expect(
      await callAuthHook(hook, 'POST', {
        authorization: `Bearer ${token}`,
        'x-hasura-role': 'admin',
      }),
    ).toEqual({ allowed: false, status: 401 })
  })

  it('refuses a missing, forged or expired credential with 401, and never locks Hasura out', async () => {
    const expired = await issuer.sign({}, { expiresIn: -60 })
    for (let i = 0; i < 30; i++) {
      for (const headers of [
        {} as Record<string, string>,
        { Authorization: 'Bearer bks_' + 'x'.repeat(43) },
        { Authorization: `Bearer ${expired}` },
        { Authorization: 'Basic YWRtaW46YWRtaW4=' },
      ]) {
        expect(await callAuthHook(hook, i % 2 ? 'GET' : 'POST', headers)).toEqual({
          allowed: false,
          status: 401,
        })
      }
    }
    // Past far more failures than AUTH_FAILURE_LIMIT, Hasura's address still gets answers.
    const token = await issuer.sign()
    expect((await callAuthHook(hook, 'GET', { Authorization: `Bearer ${token}` })).allowed).toBe(
      true,
    )
  })

  it('reads a session cookie forwarded by Hasura, and describes its settings', async () => {
    const login = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await issuer.sign()}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ transport: 'cookie' }),
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    expect(cookie).toMatch(/^bk_session=bks_/)
    expect(await callAuthHook(hook, 'POST', { Cookie: cookie })).toMatchObject({
      allowed: true,
      variables: { 'x-hasura-user-id': 'idp:user_1' },
    })
    const settings = await t.app.request('/v1/integrations/hasura/config?mode=webhook')
    expect(await settings.json()).toEqual({
      HASURA_GRAPHQL_AUTH_HOOK: 'http://bridge.test/v1/integrations/hasura/webhook',
      HASURA_GRAPHQL_AUTH_HOOK_MODE: 'GET',
    })
    expect((await t.app.request('/v1/integrations/firebase/webhook')).status).toBe(404)
  })
})
