import { getCookie } from 'hono/cookie'
import { peekIssuer, type TokenVerifier } from './upstream/upstream-verifier'
import { failed, type CredentialVerifier } from './verifier'

/**
 * The chain link for JWTs: picks the verifier of the token's (unverified) issuer among the
 * configured upstream issuers and the development issuer, which then verifies everything. It is
 * the last link, so it claims every credential that reaches it.
 */
export function jwtCredentialVerifier(options: {
  issuers: TokenVerifier[]
  maxTokenBytes: number
  /** The cookie an upstream JWT may come in (Clerk's `__session`). */
  cookieName: string
}): CredentialVerifier {
  return {
    kind: 'token',
    cookie: (c) => getCookie(c, options.cookieName),
    async verify(credential) {
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
      return {
        outcome: 'verified',
        principal: {
          ...result.principal,
          sessionId: undefined,
          expiresAt: result.expiresAt,
          method: 'upstream_jwt',
        },
      }
    },
  }
}
