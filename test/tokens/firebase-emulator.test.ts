import { deleteApp as deleteClientApp, initializeApp as initializeClient } from 'firebase/app'
import { connectAuthEmulator, getAuth as getClientAuth, signInWithCustomToken } from 'firebase/auth'
import { deleteApp, initializeApp } from 'firebase-admin/app'
import { getAuth } from 'firebase-admin/auth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthEmulator } from '../helpers/firebase-emulator'
import { testServiceAccount } from '../helpers/service-account'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const PROJECT = 'demo-bridgekeeper'
let emulator: Awaited<ReturnType<typeof startAuthEmulator>>
let t: TestApp

beforeAll(async () => {
  emulator = await startAuthEmulator(PROJECT)
  const { account } = testServiceAccount()
  // The bridge mints with its own code: FIREBASE_AUTH_EMULATOR_HOST is not in its environment.
  t = await makeTestApp({ FIREBASE_SERVICE_ACCOUNT: JSON.stringify({ ...account, project_id: PROJECT }) })
}, 90_000)
afterAll(async () => {
  await emulator?.stop()
})

async function customToken(sub: string, extra: Record<string, unknown> = {}) {
  const login = await t.app.request('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub, email: 'e2e@example.com', roles: ['editor'], ...extra }),
  })
  const { token } = (await login.json()) as { token: string }
  const minted = await t.app.request('/v1/tokens/firebase', { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
  expect(minted.status).toBe(200)
  return ((await minted.json()) as { token: string }).token
}

describe('Firebase end to end (Auth emulator)', () => {
  it('signs in with signInWithCustomToken, and verifyIdToken shows the uid and the custom claims', async () => {
    const client = initializeClient({ apiKey: 'demo-api-key', projectId: PROJECT }, 'e2e-client')
    const auth = getClientAuth(client)
    connectAuthEmulator(auth, emulator.url, { disableWarnings: true })
    try {
      const credential = await signInWithCustomToken(auth, await customToken('e2e-user', { orgId: 'org_e2e' }))
      expect(credential.user.uid).toBe('e2e-user')
      const idToken = await credential.user.getIdToken()

      process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host
      const admin = initializeApp({ projectId: PROJECT }, 'e2e-admin')
      try {
        const decoded = await getAuth(admin).verifyIdToken(idToken)
        expect(decoded.uid).toBe('e2e-user')
        expect(decoded.roles).toEqual(['editor'])
        expect(decoded.org).toBe('org_e2e')
        expect(decoded.firebase.sign_in_provider).toBe('custom')
      } finally {
        await deleteApp(admin)
        delete process.env.FIREBASE_AUTH_EMULATOR_HOST
      }
    } finally {
      await deleteClientApp(client)
    }
  })

  it('is refused by the emulator when the audience is wrong (the emulator checks what the bridge checks)', async () => {
    const good = await customToken('aud-check')
    const [header, payload, signature] = good.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, aud: 'https://example.com' })).toString('base64url')}.${signature}`
    const response = await fetch(`${emulator.url}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken?key=demo-api-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: forged, returnSecureToken: true }),
    })
    expect(response.status).toBe(400)
    expect(JSON.stringify(await response.json())).toMatch(/INVALID_CUSTOM_TOKEN|CREDENTIAL_MISMATCH/)
  })
})
