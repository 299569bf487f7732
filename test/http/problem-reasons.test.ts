import { describe, expect, it } from 'vitest'
import { generateSigningJwk } from '../../src/keys/signing-key'
import { createMemoryStore } from '../../src/store/memory-store'
import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { makeTestApp } from '../helpers/test-app'

describe('why a 401 happened', () => {
  it('is in the body in development, and only in the log in production', async () => {
    const issuer = await startOidcIssuer()
    await issuer.addKey('ES256')
    try {
      const wrongAudience = await issuer.sign({ aud: 'someone-else' })
      const ask = (app: {
        request: (path: string, init: RequestInit) => Response | Promise<Response>
      }) =>
        Promise.resolve(
          app.request('/v1/me', { headers: { Authorization: `Bearer ${wrongAudience}` } }),
        )
      const development = await makeTestApp({ UPSTREAM_ISSUERS: issuerEnv(issuer) })
      const developmentAnswer = await ask(development.app)
      expect(developmentAnswer.status).toBe(401)
      expect(await developmentAnswer.json()).toMatchObject({
        code: 'invalid_token',
        reason: 'jwt_claim_mismatch',
      })

      const production = await makeTestApp(
        {
          BRIDGE_MODE: 'production',
          PUBLIC_URL: 'https://bridge.example',
          SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningJwk('ES256')] }),
          UPSTREAM_ISSUERS: issuerEnv(issuer),
        },
        { store: createMemoryStore() },
      )
      const productionAnswer = await ask(production.app)
      expect(productionAnswer.status).toBe(401)
      const body = (await productionAnswer.json()) as Record<string, unknown>
      expect(body.reason).toBeUndefined()
      expect(production.logs.some((line) => line.includes('jwt_claim_mismatch'))).toBe(true)
    } finally {
      await issuer.close()
    }
  })
})
