import { deleteApp as deleteClientApp, initializeApp as initializeClient } from 'firebase/app'
import {
  connectAuthEmulator,
  getAuth as getClientAuth,
  signInWithCustomToken,
  signOut,
} from 'firebase/auth'
import { deleteApp, initializeApp } from 'firebase-admin/app'
import { getAuth } from 'firebase-admin/auth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBridgeClient, syncFirebase } from '../../client'
import { firebaseRefreshTokenRevocation } from '../../adapters/firebase/revoke-refresh-tokens'
import { startAuthEmulator } from '../helpers/firebase-emulator'
import { serveApp } from '../helpers/serve'
import { devTokens } from '../helpers/sign-in'
import { testServiceAccount } from '../helpers/service-account'
import { generateSigningJwk } from '../../src/keys/signing-key'
import { createMemoryStore } from '../../src/store/memory-store'
import { makeTestApp, type TestApp, testAdapter } from '../helpers/test-app'

const PROJECT = 'demo-bridgekeeper'
let emulator: Awaited<ReturnType<typeof startAuthEmulator>>
let t: TestApp
let serviceAccount: ReturnType<typeof testServiceAccount>['account']

beforeAll(async () => {
  emulator = await startAuthEmulator(PROJECT)
  const { account } = testServiceAccount()
  serviceAccount = { ...account, project_id: PROJECT }
  // The bridge mints with its own code: FIREBASE_AUTH_EMULATOR_HOST is not in its environment.
  t = await makeTestApp({ FIREBASE_SERVICE_ACCOUNT: JSON.stringify(serviceAccount) })
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
  const minted = await t.app.request('/v1/tokens/firebase', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  })
  expect(minted.status).toBe(200)
  return ((await minted.json()) as { token: string }).token
}

describe('Firebase end to end (Auth emulator)', () => {
  it('signs in with signInWithCustomToken, and verifyIdToken shows the uid and the custom claims', async () => {
    const client = initializeClient({ apiKey: 'demo-api-key', projectId: PROJECT }, 'e2e-client')
    const auth = getClientAuth(client)
    connectAuthEmulator(auth, emulator.url, { disableWarnings: true })
    try {
      const credential = await signInWithCustomToken(
        auth,
        await customToken('e2e-user', { orgId: 'org_e2e' }),
      )
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
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, aud: 'https://example.com' })).toString('base64url')}.${signature}`
    const response = await fetch(
      `${emulator.url}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken?key=demo-api-key`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: forged, returnSecureToken: true }),
      },
    )
    expect(response.status).toBe(400)
    expect(JSON.stringify(await response.json())).toMatch(
      /INVALID_CUSTOM_TOKEN|CREDENTIAL_MISMATCH/,
    )
  })
})

describe('Firebase refresh-token revocation (Node, opt-in)', () => {
  it('ends the Firebase session when the user signs out of the bridge everywhere', async () => {
    const app = (
      await makeTestApp(
        { FIREBASE_SERVICE_ACCOUNT: JSON.stringify(serviceAccount) },
        {
          adapters: [
            testAdapter({ onSessionsRevoked: firebaseRefreshTokenRevocation(serviceAccount) }),
          ],
        },
      )
    ).app
    const login = await app.request('/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"sub":"revoked-user"}',
    })
    const { token: credential } = (await login.json()) as { token: string }
    const minted = (await (
      await app.request('/v1/tokens/firebase', {
        method: 'POST',
        headers: { Authorization: `Bearer ${credential}` },
      })
    ).json()) as { token: string }
    const session = (await (
      await app.request('/v1/sessions', {
        method: 'POST',
        headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json' },
        body: '{"transport":"bearer"}',
      })
    ).json()) as { secret: string }

    const client = initializeClient(
      { apiKey: 'demo-api-key', projectId: PROJECT },
      'revocation-client',
    )
    const auth = getClientAuth(client)
    connectAuthEmulator(auth, emulator.url, { disableWarnings: true })
    process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host
    const admin = initializeApp({ projectId: PROJECT }, 'revocation-admin')
    try {
      const idToken = await (await signInWithCustomToken(auth, minted.token)).user.getIdToken()
      expect((await getAuth(admin).verifyIdToken(idToken, true)).uid).toBe('revoked-user')
      // Firebase compares whole seconds: revoke at least one second after sign-in.
      await new Promise((resolve) => setTimeout(resolve, 1100))
      const out = await app.request('/v1/sessions', {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${session.secret}` },
      })
      expect(out.status).toBe(200)
      await expect(getAuth(admin).verifyIdToken(idToken, true)).rejects.toMatchObject({
        code: 'auth/id-token-revoked',
      })
    } finally {
      await deleteApp(admin)
      await deleteClientApp(client)
      delete process.env.FIREBASE_AUTH_EMULATOR_HOST
    }
  })

  it('revokes at most five times per user per minute, so one user cannot spend the project quota', async () => {
    const { firebaseRevocationAdapter } = await import('../../adapters/firebase/revocation')
    process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host
    const admin = initializeApp({ projectId: PROJECT }, 'revocation-budget-admin')
    try {
      await getAuth(admin).createUser({ uid: 'signs-out-in-a-loop' })
      const t = await makeTestApp(
        {
          FIREBASE_SERVICE_ACCOUNT: JSON.stringify(serviceAccount),
          FIREBASE_REVOKE_ON_SIGNOUT: 'true',
        },
        { adapters: [firebaseRevocationAdapter] },
      )
      const login = await t.app.request('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"sub":"signs-out-in-a-loop"}',
      })
      const { token } = (await login.json()) as { token: string }
      const failures = () => t.logs.filter((l) => l.includes('session.revocation_hook_failed'))
      for (let i = 1; i <= 6; i++) {
        const created = await t.app.request('/v1/sessions', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: '{"transport":"bearer"}',
        })
        const { secret } = (await created.json()) as { secret: string }
        const out = await t.app.request('/v1/sessions', {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${secret}` },
        })
        // The bridge's own sign-out always succeeds; only the Firebase call is skipped.
        expect(out.status).toBe(200)
        expect(failures(), failures().join('\n')).toHaveLength(i <= 5 ? 0 : 1)
      }
      expect(failures()[0]).toMatch(/per-user budget is spent/)
      t.clock.advance(60_000)
      const created = await t.app.request('/v1/sessions', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{"transport":"bearer"}',
      })
      const { secret } = (await created.json()) as { secret: string }
      await t.app.request('/v1/sessions', {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${secret}` },
      })
      expect(failures()).toHaveLength(1)
    } finally {
      await deleteApp(admin)
      delete process.env.FIREBASE_AUTH_EMULATOR_HOST
    }
  })

  it('is refused without a service account, and the emulator host is refused in production', async () => {
    const { firebaseRevocationAdapter } = await import('../../adapters/firebase/revocation')
    await expect(
      makeTestApp(
        { FIREBASE_REVOKE_ON_SIGNOUT: 'true' },
        { adapters: [firebaseRevocationAdapter] },
      ),
    ).rejects.toThrow(/FIREBASE_REVOKE_ON_SIGNOUT: needs FIREBASE_SERVICE_ACCOUNT/)
    const production = {
      BRIDGE_MODE: 'production',
      PUBLIC_URL: 'https://bridge.example',
      SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningJwk('ES256')] }),
    }
    await expect(
      makeTestApp(
        { ...production, FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' },
        { store: createMemoryStore() },
      ),
    ).rejects.toThrow(/FIREBASE_AUTH_EMULATOR_HOST: must not be set in production/)
  })
})

describe('syncFirebase (bridgekeeper/client) on the Auth emulator', () => {
  it('signs in once per identity, again when the claims change, and out with the bridge session', async () => {
    const served = await serveApp(t.app)
    const firebaseApp = initializeClient(
      { apiKey: 'demo-api-key', projectId: PROJECT },
      'sync-client',
    )
    const auth = getClientAuth(firebaseApp)
    connectAuthEmulator(auth, emulator.url, { disableWarnings: true })
    let roles = ['reader']
    const client = createBridgeClient({
      url: served.url,
      channel: null,
      now: () => t.clock.now(),
      getUpstreamToken: devTokens(t, () => ({ sub: 'synced-user', roles })),
    })
    const signIns: string[] = []
    const firebase = syncFirebase(client, {
      auth,
      signInWithCustomToken: async (a, token) => {
        signIns.push(token)
        return signInWithCustomToken(a, token)
      },
      signOut: (a) => signOut(a),
    })
    try {
      expect(await firebase.sync()).toBe(true)
      expect(auth.currentUser?.uid).toBe('synced-user')
      // The same identity: no second sign-in, even with a new custom token.
      t.clock.advance(1000)
      expect(await client.getToken('firebase', { skipCache: true })).not.toBe(signIns[0])
      expect(await firebase.sync()).toBe(false)
      expect(signIns).toHaveLength(1)
      // New roles are new claims: Firebase keeps old claims until the next custom-token sign-in.
      roles = ['reader', 'editor']
      await client.getToken('firebase', { skipCache: true })
      expect(await firebase.sync()).toBe(true)
      const claims = (await auth.currentUser?.getIdTokenResult(true))?.claims
      expect(claims?.roles).toEqual(['reader', 'editor'])

      await client.signIn()
      await client.signOut({ everywhere: true })
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(auth.currentUser).toBeNull()
    } finally {
      firebase.stop()
      client.close()
      await deleteClientApp(firebaseApp)
      await served.close()
    }
  })
})
