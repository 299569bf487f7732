import type { SessionPrincipal } from '../principal'

/** Why a token was refused. Logged and counted; the client only ever sees a generic 401. */
export type TokenFailure =
  | 'malformed'
  | 'too_large'
  | 'unknown_issuer'
  | 'algorithm_not_allowed'
  | 'bad_signature'
  | 'unknown_key'
  | 'keys_unavailable'
  | 'expired'
  | 'not_yet_valid'
  | 'claim_mismatch'
  | 'azp_not_allowed'
  | 'no_subject'
  | 'lifetime_too_long'

export type VerifyResult =
  | {
      ok: true
      principal: SessionPrincipal
      expiresAt: number
      /** The token's `iat` in milliseconds, when it has one ("not before" records compare it). */
      issuedAt: number | undefined
    }
  | { ok: false; reason: TokenFailure }

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** Only a three-part compact JWS with a non-empty signature is ever parsed further. */
export function looksLikeCompactJws(token: string): boolean {
  return COMPACT_JWS.test(token)
}

/** Maps jose's stable error codes onto our reasons. Anything unexpected is `malformed`. */
export function failureFromJose(error: unknown): TokenFailure {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  const claim =
    typeof error === 'object' && error !== null && 'claim' in error ? String(error.claim) : ''
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired'
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claim === 'nbf' || claim === 'iat' ? 'not_yet_valid' : 'claim_mismatch'
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad_signature'
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'unknown_key'
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'algorithm_not_allowed'
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return 'keys_unavailable'
    default:
      return code === '' || code === 'ERR_JOSE_GENERIC' ? 'keys_unavailable' : 'malformed'
  }
}
