import { cert, initializeApp } from 'firebase-admin/app'
import { getAuth } from 'firebase-admin/auth'
import type { RevocationHook } from '../../src/sessions/revocation-hook'
import type { ServiceAccount } from './service-account'

/**
 * Node only (firebase-admin): when the bridge revokes a user's sessions, also revoke their
 * Firebase refresh tokens, so the Firebase session ends too. Firebase revokes per user, not per
 * session. Off by default (FIREBASE_REVOKE_ON_SIGNOUT=true); the uid is the bridge's userId, as
 * in the default Firebase template.
 */
export function firebaseRefreshTokenRevocation(account: ServiceAccount): RevocationHook {
  const app = initializeApp(
    {
      credential: cert({
        projectId: account.project_id,
        clientEmail: account.client_email,
        privateKey: account.private_key,
      }),
      projectId: account.project_id,
    },
    `bridgekeeper-revocation-${Math.random().toString(36).slice(2)}`,
  )
  return async (event) => {
    await getAuth(app).revokeRefreshTokens(event.userId)
  }
}
