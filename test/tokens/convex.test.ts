import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'
import { bearerSession } from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'

describe('Convex tokens (custom JWT provider)', () => {
  it('meet Convex’s requirements: kid, alg and typ headers; iss, sub, aud, iat, exp; verifiable with the configured JWKS', async () => {
    const t = await makeTestApp({ CONVEX_APPLICATION_ID: 'my-convex-app' })
    const { secret } = await bearerSession(t, 'convex-user')
    const response = await t.app.request('/v1/tokens/convex', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(response.status).toBe(200)
    const { token } = (await response.json()) as { token: string }

    // What auth.config.ts gets: the provider entry, pointing at this bridge.
    const provider = (await (await t.app.request('/v1/integrations/convex/config')).json()) as {
      type: string
      applicationID: string
      issuer: string
      jwks: string
      algorithm: string
    }
    expect(provider).toEqual({
      type: 'customJwt',
      applicationID: 'my-convex-app',
      issuer: 'http://bridge.test',
      jwks: 'http://bridge.test/.well-known/jwks.json',
      algorithm: 'RS256',
    })

    const header = decodeProtectedHeader(token)
    expect(header.typ).toBe('JWT')
    expect(['RS256', 'ES256']).toContain(header.alg)
    expect(header.alg).toBe(provider.algorithm)
    expect(typeof header.kid).toBe('string')
    // Convex fetches the JWKS from `jwks` and checks issuer and audience (applicationID).
    const jwks = (await (
      await t.app.request(new URL(provider.jwks).pathname)
    ).json()) as JSONWebKeySet
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: provider.issuer,
      audience: provider.applicationID,
      algorithms: [provider.algorithm],
      currentDate: new Date(t.clock.now()),
    })
    expect(payload.sub).toBe('convex-user')
    expect(payload.email).toBe('convex-user@example.com')
    for (const claim of ['iat', 'exp'] as const) expect(typeof payload[claim]).toBe('number')
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(300)
  })
})
