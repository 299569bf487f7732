import { describe, expect, it } from 'vitest'
import { generateSigningJwk } from '../../src/keys/signing-key'
import { createMemoryStore } from '../../src/store/memory-store'
import { makeTestApp } from '../helpers/test-app'

const tokenFrom = async (app: Awaited<ReturnType<typeof makeTestApp>>['app']) => {
  const response = await app.request('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub: 'dev-user', email: 'dev@example.com', roles: ['tester'] }),
  })
  return {
    status: response.status,
    body: (await response.json()) as { token?: string; issuer?: string },
  }
}

describe('development issuer', () => {
  it('issues a test-user token in development mode, with its own issuer', async () => {
    const { app, config } = await makeTestApp()
    const { status, body } = await tokenFrom(app)
    expect(status).toBe(200)
    expect(body.issuer).toBe(`${config.publicUrl}/dev`)
    const me = await app.request('/v1/me', { headers: { Authorization: `Bearer ${body.token}` } })
    expect(await me.json()).toMatchObject({
      userId: 'dev-user',
      email: 'dev@example.com',
      emailVerified: true,
      roles: ['tester'],
    })
  })

  it('does not exist in production mode, and its tokens are refused there', async () => {
    const dev = await makeTestApp()
    const { body } = await tokenFrom(dev.app)
    const production = await makeTestApp(
      {
        BRIDGE_MODE: 'production',
        PUBLIC_URL: 'https://bridge.example',
        SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningJwk('ES256')] }),
      },
      { store: createMemoryStore() },
    )
    expect(production.config.mode).toBe('production')
    const attempt = await tokenFrom(production.app)
    expect(attempt.status).toBe(404)
    const me = await production.app.request('/v1/me', {
      headers: { Authorization: `Bearer ${body.token}` },
    })
    expect(me.status).toBe(401)
    const doc = (await (await production.app.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(doc.paths)).not.toContain('/dev/token')
  })

  it('refuses a dev token presented to another development instance (per-process key)', async () => {
    const a = await makeTestApp()
    const b = await makeTestApp()
    const { body } = await tokenFrom(a.app)
    expect(
      (await b.app.request('/v1/me', { headers: { Authorization: `Bearer ${body.token}` } }))
        .status,
    ).toBe(401)
  })
})
