import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callAuthHook } from '../fakes/hasura-hook-caller'
import { issuerEnv, startOidcIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { serveApp } from '../helpers/serve'
import { asSession, bearerSession } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

let t: TestApp
let issuer: OidcIssuer
let server: Awaited<ReturnType<typeof serveApp>>
let hook: string
let base: string
const HOOK_SECRET = 'hasura-webhook-secret-0123456789abcdefghij'
const ADMIN = 'hasura-webhook-admin-key-0123456789abcdef'

beforeAll(async () => {
  issuer = await startOidcIssuer()
  await issuer.addKey('ES256')
  t = await makeTestApp({
    UPSTREAM_ISSUERS: issuerEnv(issuer, { userIdPrefix: 'idp:', claims: { roles: 'roles' } }),
    BRIDGE_MODE: 'development',
    HASURA_WEBHOOK_MAX_AGE: '120',
    HASURA_WEBHOOK_SECRET: HOOK_SECRET,
    ADMIN_API_KEY: ADMIN,
    ALLOWED_ORIGINS: 'https://app.example',
    SESSION_IDLE_TIMEOUT: '600',
    TRUST_PROXY: 'x-forwarded-for',
  })
  server = await serveApp(t.app)
  base = `${server.url}/v1/integrations/hasura/webhook`
  hook = `${base}?secret=${HOOK_SECRET}`
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
    // POST mode forwards the browser's Origin: a cookie needs an allowed one, as for writes.
    expect(
      await callAuthHook(hook, 'POST', { Cookie: cookie, Origin: 'https://app.example' }),
    ).toMatchObject({
      allowed: true,
      variables: { 'x-hasura-user-id': 'idp:user_1' },
    })
    const settings = await t.app.request('/v1/integrations/hasura/config?mode=webhook', {
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    expect(await settings.json()).toEqual({
      HASURA_GRAPHQL_AUTH_HOOK: `http://bridge.test/v1/integrations/hasura/webhook?secret=${HOOK_SECRET}`,
      HASURA_GRAPHQL_AUTH_HOOK_MODE: 'POST',
    })
    expect((await t.app.request('/v1/integrations/firebase/webhook')).status).toBe(404)
  })

  it('answers only Hasura: a missing or wrong secret is a 401 that counts toward the lockout', async () => {
    const token = await issuer.sign()
    const client = { Authorization: `Bearer ${token}`, 'X-Forwarded-For': '203.0.113.50' }
    for (const url of [base, `${base}?secret=wrong-${HOOK_SECRET}`]) {
      const response = await fetch(url, { headers: client })
      expect(response.status).toBe(401)
      // An oracle would say whose credential it is: the refusal says nothing.
      expect(await response.text()).not.toContain('user_1')
    }
    // Past AUTH_FAILURE_LIMIT wrong secrets from one address, it is locked out...
    let status = 401
    for (let i = 0; i < 100 && status === 401; i++)
      status = (await fetch(base, { headers: client })).status
    expect(status).toBe(429)
    // ...and with the right secret Hasura's own calls go on.
    expect((await callAuthHook(hook, 'GET', { Authorization: `Bearer ${token}` })).allowed).toBe(
      true,
    )
    expect(t.logs.some((line) => line.includes('auth_hook_secret_invalid'))).toBe(true)
  })

  it('keeps the hook URL (it holds the secret) for the admin key', async () => {
    const anonymous = await t.app.request('/v1/integrations/hasura/config?mode=webhook')
    expect(anonymous.status).toBe(401)
    expect(await anonymous.text()).not.toContain(HOOK_SECRET)
  })

  it('refuses a forwarded cookie without an allowed Origin (a cross-site page riding the cookie)', async () => {
    const login = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await issuer.sign({ sub: 'csrf-victim' })}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ transport: 'cookie' }),
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const attempts: Record<string, string>[] = [
      { Cookie: cookie, Origin: 'https://evil.example' },
      { Cookie: cookie },
      { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' },
    ]
    for (const headers of attempts)
      expect(await callAuthHook(hook, 'POST', headers)).toEqual({ allowed: false, status: 401 })
    // GET mode: Hasura drops Origin, so a cookie can't show where it came from.
    expect(
      await callAuthHook(hook, 'GET', { Cookie: cookie, Origin: 'https://app.example' }),
    ).toEqual({ allowed: false, status: 401 })
    expect(
      await callAuthHook(hook, 'POST', { Cookie: cookie, Origin: 'https://app.example' }),
    ).toMatchObject({ allowed: true })
  })

  it('never lets Hasura cache an answer for a secret a refresh replaced, and marks answers private', async () => {
    const { secret } = await bearerSession(t, 'hook-refresh')
    const refreshed = await asSession(t, secret, '/v1/sessions/refresh', { method: 'POST' })
    expect(refreshed.status).toBe(200)
    const fresh = ((await refreshed.json()) as { secret: string }).secret
    const old = await fetch(hook, { headers: { Authorization: `Bearer ${secret}` } })
    expect(old.status).toBe(200)
    expect(old.headers.get('cache-control')).toBe('private, max-age=0')
    expect(((await old.json()) as Record<string, string>)['Cache-Control']).toBe('max-age=0')
    const current = await fetch(hook, { headers: { Authorization: `Bearer ${fresh}` } })
    expect(current.headers.get('cache-control')).toBe('private, max-age=120')
  })
})
