import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineHasuraTemplate } from '../../adapters/hasura'
import { hasuraSession, type HasuraJwtSettings } from '../helpers/hasura-rules'
import { serveApp } from '../helpers/serve'
import { appWithTemplates, makeTestApp, type TestApp } from '../helpers/test-app'

async function signIn(t: TestApp, body: Record<string, unknown>, base = '') {
  const token = (await (
    await (base ? fetch(`${base}/dev/token`, init(body)) : t.app.request('/dev/token', init(body)))
  ).json()) as { token: string }
  return token.token
}
const init = (body: Record<string, unknown>): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
})

describe('Hasura tokens', () => {
  let t: TestApp
  let server: Awaited<ReturnType<typeof serveApp>>
  beforeAll(async () => {
    t = await makeTestApp({ PUBLIC_URL: 'http://127.0.0.1:1' })
    // The served URL is known only after listening; the issuer is PUBLIC_URL, so use a fixed one.
    server = await serveApp(t.app)
  })
  afterAll(() => server.close())

  it("verify with the bridge JWKS over HTTP, issuer and audience pinned, and pass Hasura's claim rules", async () => {
    const login = await signIn(
      t,
      { sub: 'user_42', email: 'u42@example.com', roles: ['editor'], orgId: 'org_9' },
      server.url,
    )
    const response = await fetch(`${server.url}/v1/tokens/hasura`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${login}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string }

    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`))
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: 'http://127.0.0.1:1',
      audience: 'hasura',
      algorithms: ['RS256'],
      currentDate: new Date(t.clock.now()),
    })
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' })
    expect(protectedHeader.kid).toMatch(/^key_/)
    expect(payload.sub).toBe('user_42')
    expect(payload.jti).toMatch(/^tok_/)
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60)
    expect((payload.iat ?? 0) - (payload.nbf ?? 0)).toBe(5)
    expect(new Date(expiresAt).getTime()).toBe((payload.exp ?? 0) * 1000)

    const session = hasuraSession(payload, { claims_format: 'json' })
    expect(session.role).toBe('user')
    expect(session.variables).toEqual({
      'x-hasura-default-role': 'user',
      'x-hasura-user-id': 'user_42',
      'x-hasura-org-id': 'org_9',
      'x-hasura-email': 'u42@example.com',
    })
    expect(hasuraSession(payload, {}, 'editor').role).toBe('editor')
    expect(() => hasuraSession(payload, {}, 'admin')).toThrow(/not allowed/)
  })

  it('serves the exact HASURA_GRAPHQL_JWT_SECRET value', async () => {
    const response = await t.app.request('/v1/integrations/hasura/config')
    expect(await response.json()).toEqual({
      jwk_url: 'http://127.0.0.1:1/.well-known/jwks.json',
      issuer: 'http://127.0.0.1:1',
      audience: 'hasura',
      claims_namespace: 'https://hasura.io/jwt/claims',
      claims_format: 'json',
    })
  })

  it('takes nothing from the request body or headers', async () => {
    const login = await signIn(t, { sub: 'plain-user' })
    const response = await t.app.request('/v1/tokens/hasura', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${login}`,
        'Content-Type': 'application/json',
        'x-hasura-role': 'admin',
        'x-hasura-user-id': 'admin',
        'X-User-Id': 'admin',
      },
    })
    // Claims in the body are refused outright: the only field a mint request takes is orgId.
    const forged = await t.app.request('/v1/tokens/hasura', {
      method: 'POST',
      headers: { Authorization: `Bearer ${login}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        sub: 'admin',
        uid: 'admin',
        role: 'admin',
        claims: { 'x-hasura-allowed-roles': ['admin'] },
        exp: 9999999999,
      }),
    })
    expect(forged.status).toBe(422)
    expect(await forged.json()).toMatchObject({ code: 'validation_failed' })
    const { token } = (await response.json()) as { token: string }
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString(),
    ) as JWTPayload
    expect(payload.sub).toBe('plain-user')
    expect(payload.exp).toBeLessThan(Math.floor(t.clock.now() / 1000) + 61)
    const session = hasuraSession(payload, {})
    expect(session.variables['x-hasura-user-id']).toBe('plain-user')
    expect(() => hasuraSession(payload, {}, 'admin')).toThrow()
  })

  it('is never accepted as a login credential', async () => {
    const login = await signIn(t, { sub: 'sneaky' })
    const { token } = (await (
      await t.app.request('/v1/tokens/hasura', {
        method: 'POST',
        headers: { Authorization: `Bearer ${login}` },
      })
    ).json()) as { token: string }
    expect(decodeProtectedHeader(token).kid).toBeDefined()
    for (const path of ['/v1/me', '/v1/tokens/hasura', '/v1/sessions']) {
      const response = await t.app.request(path, {
        method: path === '/v1/me' ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(response.status).toBe(401)
    }
  })
})

describe('Hasura claim placement variants', () => {
  const variants: {
    options: Parameters<typeof defineHasuraTemplate>[0]
    settings: HasuraJwtSettings
  }[] = [
    {
      options: { claimsFormat: 'stringified_json' },
      settings: {
        claims_namespace: 'https://hasura.io/jwt/claims',
        claims_format: 'stringified_json',
      },
    },
    {
      options: { claimsNamespace: 'hasura' },
      settings: { claims_namespace: 'hasura', claims_format: 'json' },
    },
    {
      options: { claimsNamespacePath: '$' },
      settings: { claims_namespace_path: '$', claims_format: 'json' },
    },
    {
      options: { claimsNamespacePath: '$.hasura.claims', claimsFormat: 'stringified_json' },
      settings: { claims_namespace_path: '$.hasura.claims', claims_format: 'stringified_json' },
    },
  ]
  it.each(variants)('places claims as $settings', async ({ options, settings }) => {
    const t = await appWithTemplates([
      defineHasuraTemplate({
        ...options,
        defaultRole: 'viewer',
        allowedRoles: () => ['viewer', 'staff'],
      }),
    ])
    const app = t.app
    const login = (await (
      await app.request('/dev/token', init({ sub: 'v1', orgId: 'acme' }))
    ).json()) as { token: string }
    const { token } = (await (
      await app.request('/v1/tokens/hasura', {
        method: 'POST',
        headers: { Authorization: `Bearer ${login.token}` },
      })
    ).json()) as { token: string }
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>
    const config = (await (
      await app.request('/v1/integrations/hasura/config')
    ).json()) as HasuraJwtSettings
    expect(config).toMatchObject(settings)
    const session = hasuraSession(payload, config)
    expect(session).toEqual({
      role: 'viewer',
      variables: {
        'x-hasura-default-role': 'viewer',
        'x-hasura-user-id': 'v1',
        'x-hasura-org-id': 'acme',
      },
    })
    // Registered claims stay where the bridge put them, whatever the placement.
    expect(payload.iss).toBe('http://bridge.test')
    expect(payload.sub).toBe('v1')
  })

  it('refuses contradictory placement at start-up', async () => {
    await expect(
      appWithTemplates([
        defineHasuraTemplate({ claimsNamespace: 'a', claimsNamespacePath: '$.b' }),
      ]),
    ).rejects.toThrow(/not both/)
    await expect(
      appWithTemplates([defineHasuraTemplate({ claimsNamespacePath: 'hasura' })]),
    ).rejects.toThrow(/JSONPath/)
  })
})
