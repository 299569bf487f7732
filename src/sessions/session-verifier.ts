import { failed, notMine, type CredentialVerifier } from '../identity/verifier'
import type { AuthenticatedSession } from '../store/types'
import { newId } from '../ids/prefixed-id'
import { originOf } from '../http/request-context'
import { clearedSessionCookie, sessionCookieName } from './cookie'
import { hashSecret, isSessionSecretShape, SESSION_SECRET_PREFIX } from './secret'
import { principalOfSession, type SessionService } from './session-service'

declare module 'hono' {
  interface ContextVariableMap {
    /** Set when a Bridgekeeper session authenticated the request. */
    session: AuthenticatedSession | undefined
  }
}

/**
 * The chain link for the bridge's own sessions: claims `bks_…` secrets (from the bearer header or
 * the session cookie), looks them up by hash, and slides the idle expiry in the same step.
 */
export function sessionCredentialVerifier(sessions: SessionService): CredentialVerifier {
  return {
    kind: 'session',
    cookieName: sessionCookieName,
    // Claimed by this verifier; a malformed secret is refused before the lookup, and the
    // authenticator then reads the count on its own.
    countsLockoutOf: (credential) =>
      sessions.countsLockout && credential.value.startsWith(SESSION_SECRET_PREFIX),
    async verify(credential, c) {
      if (!credential.value.startsWith(SESSION_SECRET_PREFIX)) return notMine
      // A dead session cookie is cleared by the 401, so a cookie-only client can sign in again.
      const headers =
        credential.via === 'cookie' ? { 'Set-Cookie': clearedSessionCookie(c) } : undefined
      if (!isSessionSecretShape(credential.value)) return failed('session_malformed', { headers })
      const found = await sessions.authenticate(credential.value, credential.lockout)
      // The same dead secret sent again (a stale cookie on every request) counts once.
      if (!found)
        return failed('session_unknown_or_expired', {
          headers,
          once: hashSecret(credential.value),
        })
      if (found.superseded) {
        // An old secret replayed after its grace: whoever holds it isn't the one refreshing.
        // End the session for both (reuse detection, as for refresh tokens in RFC 9700 §4.14.2).
        c.get('log').warn('security.session_reuse', {
          eventId: newId('evt'),
          sessionId: found.record.id,
          userKey: found.record.userKey,
        })
        await sessions.revoke({ session: found.record }, 'reuse', originOf(c))
        return failed('session_superseded_reused', { headers })
      }
      c.set('session', found)
      return { outcome: 'verified', principal: principalOfSession(found.record) }
    },
  }
}
