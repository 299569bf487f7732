import type { Clock } from '../clock'
import type { Logger } from '../observability/logger'
import type { NotBeforeStore } from '../store/types'
import { userKey, type SessionPrincipal } from './principal'

/** Clock skew allowed between an identity provider's `iat` and the bridge (as for upstream JWTs). */
const SKEW_MS = 60_000

/**
 * "Not before" records: after an identity provider or an admin revokes a user (or one upstream
 * session, its `sid`), tokens issued before that moment are refused everywhere a token counts:
 * sign-in, `/v1/me`, minting, the providers' auth webhook. Without them a revoked user could sign
 * in again with the upstream token they still hold, valid until its `exp`. Records are kept as
 * long as the longest upstream token the bridge accepts, plus skew, so no older token outlives
 * one. A token issued after the record works.
 */
export function notBeforeRecords(deps: {
  store: NotBeforeStore
  clock: Clock
  /** UPSTREAM_MAX_TOKEN_LIFETIME, in seconds. */
  maxTokenLifetimeSeconds: number
}) {
  const ttlMs = deps.maxTokenLifetimeSeconds * 1000 + SKEW_MS
  const sessionScope = (sid: string) => `sid:${sid}`

  return {
    /** Voids the user's tokens issued before now: all of them, or those of one upstream session. */
    async record(user: { issuer: string; userId: string }, upstreamSessionId?: string) {
      const now = deps.clock.now()
      const scope = upstreamSessionId === undefined ? '' : sessionScope(upstreamSessionId)
      await deps.store.raise(userKey(user), scope, now, ttlMs, now)
    },

    /**
     * Whether a token of `principal` issued at `issuedAt` (ms; undefined when it has no `iat`)
     * was voided. When the store can't answer, the token is accepted and a warning logged, as
     * budgets do: a store outage must not sign every JWT user out.
     */
    async voided(
      principal: SessionPrincipal,
      issuedAt: number | undefined,
      log: Logger,
    ): Promise<boolean> {
      const sid = principal.claims.sid
      const scopes = typeof sid === 'string' && sid !== '' ? ['', sessionScope(sid)] : ['']
      let latest: number
      try {
        latest = await deps.store.latest(userKey(principal), scopes, deps.clock.now())
      } catch (error) {
        log.warn('store.not_before_unchecked', {
          error: error instanceof Error ? error.message : String(error),
        })
        return false
      }
      // A token without `iat` can't show it came after the record.
      return latest > 0 && (issuedAt === undefined || issuedAt < latest)
    },
  }
}

export type NotBeforeRecords = ReturnType<typeof notBeforeRecords>
