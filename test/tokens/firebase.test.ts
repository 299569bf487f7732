import { deleteApp, initializeApp, cert } from 'firebase-admin/app'
import { getAuth } from 'firebase-admin/auth'
import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose'
import { afterAll, describe, expect, it } from 'vitest'
import {
  defineFirebaseTemplate,
  FIREBASE_AUDIENCE,
} from '../../adapters/firebase/firebase-template'
import { manualClock } from '../../src/clock'
import type { Principal } from '../../src/identity/principal'
import { jwsSigner } from '../../src/keys/jws'
import { staticKeys } from '../../src/keys/key-provider'
import { nodeSignature } from '../../src/runtime/node/node-signature'
import { testServiceAccount } from '../helpers/service-account'
import { appWithTemplates, makeTestApp, testSigningKey, type TestApp } from '../helpers/test-app'

const { account, publicKeyPem } = testServiceAccount()
const admin = initializeApp(
  {
    credential: cert({
      projectId: account.project_id,
      clientEmail: account.client_email,
      privateKey: account.private_key,
    }),
  },
  'firebase-oracle',
)
afterAll(() => deleteApp(admin))

const principal = (userId: string, overrides: Partial<Principal> = {}): Principal => ({
  userId,
  issuer: 'https://issuer.test',
  email: 'ada@example.com',
  emailVerified: true,
  roles: ['editor'],
  orgId: 'org_1',
  sessionId: undefined,
  expiresAt: Date.now() + 24 * 3600 * 1000,
  method: 'upstream_jwt',
  claims: {},
  ...overrides,
})

async function login(t: TestApp, sub: string) {
  const response = await t.app.request('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub, email: `${sub.slice(0, 20)}@example.com` }),
  })
  return ((await response.json()) as { token: string }).token
}

describe('Firebase custom tokens', () => {
  it.each([
    ['WebCrypto', jwsSigner()],
    ['node:crypto', jwsSigner(nodeSignature)],
  ])(
    'are byte-identical to firebase-admin createCustomToken for the same uid, claims and iat (%s)',
    async (_, sign) => {
      const claims = { premium: true, tier: 'gold', limits: { posts: 10 } }
      const oracle = await getAuth(admin).createCustomToken('uid-123', claims)
      const iat = Number(decodeJwt(oracle).iat)
      const template = defineFirebaseTemplate({
        serviceAccount: account,
        lifetimeSeconds: 3600,
        claims: { premium: true, tier: 'gold', limits: { posts: 10 } },
      })
      const minted = await template.mint({
        principal: principal('uid-123'),
        now: iat * 1000,
        issuer: 'http://bridge.test',
        keys: staticKeys([await testSigningKey()]),
        sign,
      })
      expect(decodeProtectedHeader(minted.token)).toEqual(decodeProtectedHeader(oracle))
      expect(decodeJwt(minted.token)).toEqual(decodeJwt(oracle))
      expect(minted.token).toBe(oracle)
    },
  )

  it('verify with the service account public key and carry the documented claims', async () => {
    const t = await makeTestApp({ FIREBASE_SERVICE_ACCOUNT: JSON.stringify(account) })
    const response = await t.app.request('/v1/tokens/firebase', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await login(t, 'fb-user')}` },
    })
    expect(response.status).toBe(200)
    const { token } = (await response.json()) as { token: string }
    const { payload, protectedHeader } = await jwtVerify(
      token,
      await importSPKI(publicKeyPem, 'RS256'),
      {
        audience: FIREBASE_AUDIENCE,
        issuer: account.client_email,
        subject: account.client_email,
        currentDate: new Date(t.clock.now()),
      },
    )
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT' })
    expect(payload.uid).toBe('fb-user')
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300)
    expect(payload.claims).toEqual({ roles: [] })
  })

  it('refuse a 129-character uid before signing, and accept 128', async () => {
    const t = await makeTestApp({ FIREBASE_SERVICE_ACCOUNT: JSON.stringify(account) })
    const long = await t.app.request('/v1/tokens/firebase', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await login(t, 'u'.repeat(129))}` },
    })
    expect(long.status).toBe(422)
    expect(await long.json()).toMatchObject({ code: 'validation_failed' })
    expect(t.logs.some((l) => l.includes('token.minted'))).toBe(false)
    const ok = await t.app.request('/v1/tokens/firebase', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await login(t, 'u'.repeat(128))}` },
    })
    expect(ok.status).toBe(200)
  })

  it('refuse reserved claim names at start-up and oversize claims before signing', async () => {
    for (const name of ['sub', 'firebase', 'aud', 'nonce', 'auth_time']) {
      await expect(
        appWithTemplates([
          defineFirebaseTemplate({ serviceAccount: account, claims: { [name]: 'x' } }),
        ]),
      ).rejects.toThrow(/reserved/)
    }
    await expect(
      appWithTemplates([
        defineFirebaseTemplate({ serviceAccount: account, lifetimeSeconds: 3601 }),
      ]),
    ).rejects.toThrow(/1-3600/)
    const big = (
      await appWithTemplates([
        defineFirebaseTemplate({
          serviceAccount: account,
          claims: { bio: () => 'x'.repeat(1001) },
        }),
      ])
    ).app
    const login2 = (await (
      await big.request('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"sub":"big"}',
      })
    ).json()) as { token: string }
    const response = await big.request('/v1/tokens/firebase', {
      method: 'POST',
      headers: { Authorization: `Bearer ${login2.token}` },
    })
    expect(response.status).toBe(422)
  })

  it('explain what to configure when Firebase is not configured', async () => {
    const t = await makeTestApp()
    const response = await t.app.request('/v1/tokens/firebase', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await login(t, 'x')}` },
    })
    expect(response.status).toBe(501)
    expect(await response.json()).toMatchObject({
      code: 'not_configured',
      detail: expect.stringContaining('FIREBASE_SERVICE_ACCOUNT'),
    })
  })

  it('never outlive the session and never print the private key on a bad configuration', async () => {
    const clock = manualClock(Date.now())
    const template = defineFirebaseTemplate({ serviceAccount: account })
    const minted = await template.mint({
      principal: principal('s', { expiresAt: clock.now() + 30_000 }),
      now: clock.now(),
      issuer: 'x',
      keys: staticKeys([await testSigningKey()]),
      sign: jwsSigner(),
    })
    expect(decodeJwt(minted.token).exp).toBe(Math.floor((clock.now() + 30_000) / 1000))
    const broken = {
      ...account,
      private_key: account.private_key.replace('PRIVATE KEY', 'RSA KEY'),
    }
    await expect(makeTestApp({ FIREBASE_SERVICE_ACCOUNT: JSON.stringify(broken) })).rejects.toThrow(
      /private_key must be a PKCS#8 PEM/,
    )
    await expect(
      makeTestApp({ FIREBASE_SERVICE_ACCOUNT: JSON.stringify(broken) }),
    ).rejects.not.toThrow(/MII/)
  })
})
