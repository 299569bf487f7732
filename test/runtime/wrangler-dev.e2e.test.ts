import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWranglerDev } from '../helpers/wrangler-dev'

let worker: Awaited<ReturnType<typeof startWranglerDev>>
beforeAll(async () => {
  worker = await startWranglerDev()
}, 120_000)
afterAll(() => worker?.stop())

describe('the Worker under wrangler dev (local workerd on 127.0.0.1)', () => {
  it('mints a Hasura token that verifies against its JWKS fetched with createRemoteJWKSet', async () => {
    const login = await fetch(`${worker.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"sub":"edge-user","email":"edge@example.com"}',
    })
    expect(login.status).toBe(200)
    const { token: credential } = (await login.json()) as { token: string }
    const minted = await fetch(`${worker.url}/v1/tokens/hasura`, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}` },
    })
    expect(minted.status).toBe(200)
    const { token } = (await minted.json()) as { token: string }
    const jwks = createRemoteJWKSet(new URL(`${worker.url}/.well-known/jwks.json`))
    const { payload } = await jwtVerify(token, jwks, {
      issuer: worker.url,
      audience: 'hasura',
      algorithms: ['RS256'],
    })
    expect(payload.sub).toBe('edge-user')
    const response = await fetch(`${worker.url}/.well-known/jwks.json`)
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
  })

  it('keeps a session in the Durable Object across requests', async () => {
    const login = (await (
      await fetch(`${worker.url}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"sub":"do-user"}',
      })
    ).json()) as { token: string }
    const created = await fetch(`${worker.url}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
      body: '{"transport":"bearer"}',
    })
    const { secret } = (await created.json()) as { secret: string }
    for (let i = 0; i < 3; i++)
      expect(
        (await fetch(`${worker.url}/v1/me`, { headers: { authorization: `Bearer ${secret}` } }))
          .status,
      ).toBe(200)
    expect(
      (
        await fetch(`${worker.url}/v1/sessions`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(200)
    expect(
      (await fetch(`${worker.url}/v1/me`, { headers: { authorization: `Bearer ${secret}` } }))
        .status,
    ).toBe(401)
  })
})
