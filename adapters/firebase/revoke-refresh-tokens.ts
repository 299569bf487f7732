import { cert, initializeApp } from 'firebase-admin/app'
import { getAuth } from 'firebase-admin/auth'
import type { RevocationHook } from '../../src/sessions/revocation-hook'
import type { ServiceAccount } from './service-account'

/** Firebase refresh-token revocations per user per minute; more are skipped and logged. */
const REVOCATIONS_PER_USER = 5
const REVOCATION_WINDOW_MS = 60_000

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
  return async (event, context) => {
    // Firebase's quota is the project's: one user signing out in a loop must not spend it.
    const allowed = await context.allow(
      `firebase:${event.issuer}|${event.userId}`,
      REVOCATIONS_PER_USER,
      REVOCATION_WINDOW_MS,
    )
    if (!allowed) throw new Error('firebase revocation skipped: the per-user budget is spent')
    await getAuth(app).revokeRefreshTokens(event.userId)
  }
}
