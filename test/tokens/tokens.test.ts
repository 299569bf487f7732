import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { defineJwtTemplate } from '../../src/tokens/bridge-jwt'
import { appWithTemplates, makeTestApp, type TestApp, testAdapter } from '../helpers/test-app'

async function login(
  t: TestApp,
  body: Record<string, unknown> = { sub: 'u1', email: 'u1@example.com' },
) {
  const response = await t.app.request('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return ((await response.json()) as { token: string }).token
}
const mint = (t: TestApp, template: string, credential: string) =>
  t.app.request(`/v1/tokens/${template}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}` },
  })

describe('POST /v1/tokens/{template}', () => {
  it('answers 404 for an unknown template and 401 without a credential', async () => {
    const t = await makeTestApp()
    expect((await mint(t, 'nope', await login(t))).status).toBe(404)
    expect((await t.app.request('/v1/tokens/hasura', { method: 'POST' })).status).toBe(401)
  })

  it('answers 403 when the template is not for this principal', async () => {
    const t = await makeTestApp(
      {},
      {
        adapters: [
          testAdapter({
            templates: [
              defineJwtTemplate({
                name: 'staff',
                audience: 'internal',
                allow: (p) => p.roles.includes('staff'),
              }),
            ],
          }),
        ],
      },
    )
    const app = t.app
    const token = async (roles: string[]) =>
      (
        (await (
          await app.request('/dev/token', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ sub: 's', roles }),
          })
        ).json()) as { token: string }
      ).token
    const call = async (roles: string[]) =>
      app.request('/v1/tokens/staff', {
        method: 'POST',
        headers: { Authorization: `Bearer ${await token(roles)}` },
      })
    expect((await call([])).status).toBe(403)
    expect((await call(['staff'])).status).toBe(200)
  })

  it('rate-limits minting per user with Retry-After', async () => {
    const t = await makeTestApp({ MINT_PER_USER: '3' })
    const credential = await login(t)
    for (let i = 0; i < 3; i++) expect((await mint(t, 'hasura', credential)).status).toBe(200)
    const refused = await mint(t, 'hasura', credential)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect((await mint(t, 'hasura', await login(t, { sub: 'someone-else' }))).status).toBe(200)
  })

  it('never lets a token outlive the session it was minted from', async () => {
    const t = await makeTestApp({ SESSION_IDLE_TIMEOUT: '20', SESSION_ABSOLUTE_TIMEOUT: '40' })
    const created = await t.app.request('/v1/sessions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await login(t)}`, 'Content-Type': 'application/json' },
      body: '{"transport":"bearer"}',
    })
    const { secret } = (await created.json()) as { secret: string }
    const first = decodeJwt(
      ((await (await mint(t, 'hasura', secret)).json()) as { token: string }).token,
    )
    expect(first.exp).toBe(Math.floor(t.clock.now() / 1000) + 20)
    t.clock.advance(15_000)
    const second = decodeJwt(
      ((await (await mint(t, 'api', secret)).json()) as { token: string }).token,
    )
    expect(second.exp).toBe(Math.floor(t.clock.now() / 1000) + 20)
    t.clock.advance(15_000)
    const third = decodeJwt(
      ((await (await mint(t, 'hasura', secret)).json()) as { token: string }).token,
    )
    // The absolute limit (40 s after sign-in) caps it now.
    expect(third.exp).toBe(Math.floor((t.clock.now() - 30_000) / 1000) + 40)
  })

  it('logs the mint with kid, jti, sub and aud, never the token', async () => {
    const t = await makeTestApp()
    const response = await mint(t, 'hasura', await login(t))
    const { token } = (await response.json()) as { token: string }
    const event = t.logs.map((l) => JSON.parse(l)).find((l) => l.event === 'token.minted')
    expect(event).toMatchObject({
      audit: true,
      template: 'hasura',
      subject: 'u1',
      audience: 'hasura',
      userId: 'u1',
    })
    expect(event.kid).toMatch(/^key_/)
    expect(event.jti).toBe(decodeJwt(token).jti)
    expect(t.logs.join('\n')).not.toContain(token)
    expect(t.logs.join('\n')).not.toContain(token.split('.')[2])
  })
})

describe('JWT templates', () => {
  it('renders shortcodes, fallbacks and static values, and keeps registered claims for the bridge', async () => {
    const t = await makeTestApp()
    const credential = await login(t, { sub: 'tmpl', email: 'tmpl@example.com', roles: ['a', 'b'] })
    const payload = decodeJwt(
      ((await (await mint(t, 'api', credential)).json()) as { token: string }).token,
    )
    expect(payload).toMatchObject({
      iss: 'http://bridge.test',
      sub: 'tmpl',
      aud: 'https://api.example.com',
      email: 'tmpl@example.com',
      roles: ['a', 'b'],
      org: 'personal',
      plan: 'free',
    })
  })

  it('refuses at start-up a template that sets a registered claim or an unknown shortcode', async () => {
    await expect(
      appWithTemplates([defineJwtTemplate({ name: 'x', audience: 'a', claims: { sub: 'admin' } })]),
    ).rejects.toThrow(/"sub" is set by the bridge/)
    await expect(
      appWithTemplates([
        defineJwtTemplate({
          name: 'x',
          audience: 'a',
          claims: { who: '{{user.password}}' },
        }),
      ]),
    ).rejects.toThrow(/unknown shortcode/)
    await expect(
      appWithTemplates([defineJwtTemplate({ name: 'x', audience: 'a', lifetimeSeconds: 7200 })]),
    ).rejects.toThrow(/TOKEN_MAX_LIFETIME/)
  })
})

describe('per-address budgets', () => {
  it('limit minting and data requests per client address too', async () => {
    const t = await makeTestApp({
      MINT_PER_IP: '2',
      MINT_PER_USER: '100',
      TRUST_PROXY: 'x-forwarded-for',
    })
    const from = (ip: string, credential: string) =>
      t.app.request('/v1/tokens/hasura', {
        method: 'POST',
        headers: { Authorization: `Bearer ${credential}`, 'X-Forwarded-For': ip },
      })
    expect((await from('203.0.113.1', await login(t, { sub: 'a' }))).status).toBe(200)
    expect((await from('203.0.113.1', await login(t, { sub: 'b' }))).status).toBe(200)
    const refused = await from('203.0.113.1', await login(t, { sub: 'c' }))
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect((await from('203.0.113.2', await login(t, { sub: 'c' }))).status).toBe(200)
  })
})
