import { defineAdapter } from '../../src/assembly/adapter'
import { firebaseEnv } from './service-account'

/**
 * Node only: FIREBASE_REVOKE_ON_SIGNOUT=true also revokes the user's Firebase refresh tokens when
 * bridge sessions are revoked. firebase-admin is loaded only then.
 */
export const firebaseRevocationAdapter = defineAdapter({
  id: 'firebase-revocation',
  env: firebaseEnv,
  runtimes: ['node'],
  enabled: (env) => env.FIREBASE_REVOKE_ON_SIGNOUT,
  async setup(env) {
    const { firebaseRefreshTokenRevocation } = await import('./revoke-refresh-tokens')
    // The schema refuses FIREBASE_REVOKE_ON_SIGNOUT without a service account.
    if (!env.FIREBASE_SERVICE_ACCOUNT) return {}
    return {
      onSessionsRevoked: firebaseRefreshTokenRevocation(env.FIREBASE_SERVICE_ACCOUNT),
      summary: ['revokes Firebase refresh tokens on sign-out'],
    }
  },
})
