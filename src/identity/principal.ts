import type { SessionPrincipal } from '../store/types'

/** Who the caller is, whichever way they authenticated. Built only on the server side. */
export type Principal = SessionPrincipal & {
  /** Set when a Bridgekeeper session authenticated the request. */
  sessionId: string | undefined
  /** When the credential that authenticated this request stops being valid (ms). */
  expiresAt: number
  /** How the request authenticated. */
  method: 'upstream_jwt' | 'session'
}

/** The store key of a user: users are identified by (iss, sub), never by sub alone. */
export function userKey(principal: Pick<Principal, 'issuer' | 'userId'>): string {
  return `${encodeURIComponent(principal.issuer)}|${encodeURIComponent(principal.userId)}`
}
