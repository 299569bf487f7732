import type { Context } from 'hono'
import type { AppEnv } from '../http/app-env'
import type { Principal } from './principal'

/** A credential as the client presented it. Where it came from matters: cookie-borne writes need the CSRF check. */
export type Credential = {
  value: string
  via: 'header' | 'cookie'
  /**
   * The caller's lockout counter, when the verifier that claims this credential reads it in the
   * same store round trip as its own lookup (`countsLockoutOf`): the verifier sets `count`.
   */
  lockout?: LockoutProbe
}

/** A lockout counter to read alongside a verification. */
export type LockoutProbe = { key: string; windowMs: number; count?: number }

/** Sessions are the bridge's own credentials; tokens are upstream identity-provider JWTs. */
export type VerifierKind = 'session' | 'token'

/**
 * A verifier's answer. `not_mine`: another verifier should try (oathkeeper's "not responsible").
 * `failed` carries a reason for the log; the client always gets the same generic 401.
 */
export type Verification =
  | { outcome: 'verified'; principal: Principal }
  | { outcome: 'not_mine' }
  | ({ outcome: 'failed'; reason: string } & FailureOptions)

export type FailureOptions = {
  /**
   * `bridge`: the bridge couldn't check (an identity provider's keys unreachable), so the
   * failure doesn't count against the client's address. Default: `client`.
   */
  blame?: 'client' | 'bridge'
  /** Counts this failure once per lockout window for this key (a stale cookie sent again and again). */
  once?: string
  /** Extra headers of the 401 (clearing a dead cookie). */
  headers?: Record<string, string>
}

/** One link of the authenticator chain (sessions, upstream JWTs, the development issuer). */
export interface CredentialVerifier {
  readonly kind: VerifierKind
  /** The cookie this verifier's credential may come in. */
  cookieName(c: Context<AppEnv>): string
  verify(credential: Credential, c: Context<AppEnv>): Promise<Verification>
  /**
   * Whether this verifier will read the caller's lockout count with its own store call for this
   * credential (so the authenticator doesn't send a second one). Absent: never.
   */
  countsLockoutOf?(credential: Credential): boolean
}

export const notMine: Verification = { outcome: 'not_mine' }
export const failed = (reason: string, options: FailureOptions = {}): Verification => ({
  outcome: 'failed',
  reason,
  ...options,
})
