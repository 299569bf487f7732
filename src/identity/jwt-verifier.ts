import { peekIssuer, type TokenVerifier } from './upstream/upstream-verifier'
import type { Clock } from '../clock'
import { failed, type CredentialVerifier } from './verifier'
import type { NotBeforeRecords } from './not-before'
import { verifiedTokenCache } from './verified-tokens'

/**
 * The chain link for JWTs: picks the verifier of the token's (unverified) issuer among the
 * configured upstream issuers and the development issuer, which then verifies everything. It is
 * the last link, so it claims every credential that reaches it. A token it verified is
 * remembered until its expiry, for a minute at most (see verified-tokens.ts).
 */
export function jwtCredentialVerifier(options: {
  issuers: TokenVerifier[]
  maxTokenBytes: number
  /** The cookie an upstream JWT may come in (Clerk's `__session`). */
  cookieName: string
  clock: Clock
  /** Revocations by an identity provider or an admin: older tokens are refused (not-before.ts). */
  notBefore: NotBeforeRecords
}): CredentialVerifier {
  const verified = verifiedTokenCache(options.clock)
  return {
    kind: 'token',
    cookieName: () => options.cookieName,
    async verify(credential, c) {
      const known = verified.get(credential.value)
      if (known) {
        // A cached verification still meets every revocation recorded since.
        if (await options.notBefore.voided(known.principal, known.issuedAt, c.get('log')))
          return failed('jwt_revoked')
        return { outcome: 'verified', principal: known.principal }
      }
      const peeked = peekIssuer(credential.value, options.maxTokenBytes)
      if ('error' in peeked) return failed(`jwt_${peeked.error}`)
      const verifier = options.issuers.find((v) => v.handles(peeked.issuer))
      if (!verifier) return failed('jwt_unknown_issuer')
      const result = await verifier.verify(credential.value, peeked.issuer)
      if (!result.ok) {
        // An identity provider we can't reach is not the client's failure.
        const blame = result.reason === 'keys_unavailable' ? 'bridge' : 'client'
        return failed(`jwt_${result.reason}`, { blame })
      }
      const principal = {
        ...result.principal,
        sessionId: undefined,
        expiresAt: result.expiresAt,
        method: 'upstream_jwt' as const,
      }
      if (await options.notBefore.voided(principal, result.issuedAt, c.get('log')))
        return failed('jwt_revoked')
      verified.set(credential.value, principal, result.issuedAt)
      return { outcome: 'verified', principal }
    },
  }
}
