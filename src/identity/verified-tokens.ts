import type { Clock } from '../clock'
import type { Principal } from './principal'

/** How long a verification is reused at most, whatever the token's own expiry. */
export const VERIFIED_TOKEN_TTL_MS = 60_000
const MAX_ENTRIES = 10_000

type Entry = { principal: Principal; issuedAt: number | undefined; until: number }

/**
 * Upstream JWTs that passed verification, so the same token sent again (a frontend sends it on
 * every request until it expires) skips the signature check. An entry is keyed by the whole
 * token (exact string equality, never a prefix or a hash), holds the principal that verification
 * produced, and ends at the token's `exp` or after VERIFIED_TOKEN_TTL_MS, whichever is first:
 * within that minute a key the issuer removed from its JWKS still counts, as it does anyway
 * for the JWKS cache (10 minutes). Failures are never kept. Bounded: past MAX_ENTRIES the
 * oldest entries go first.
 */
export function verifiedTokenCache(clock: Clock) {
  const entries = new Map<string, Entry>()
  return {
    get(token: string): Pick<Entry, 'principal' | 'issuedAt'> | undefined {
      const entry = entries.get(token)
      if (!entry) return undefined
      if (clock.now() >= entry.until) {
        entries.delete(token)
        return undefined
      }
      return entry
    },
    set(token: string, principal: Principal, issuedAt: number | undefined): void {
      const until = Math.min(principal.expiresAt, clock.now() + VERIFIED_TOKEN_TTL_MS)
      if (entries.size >= MAX_ENTRIES) {
        // Drop the oldest tenth at once, so a full cache doesn't pay for an eviction per insert.
        let drop = MAX_ENTRIES / 10
        for (const key of entries.keys()) {
          entries.delete(key)
          if (--drop === 0) break
        }
      }
      // Shared by every request that sends this token: nothing may change it.
      entries.set(token, { principal: deepFreeze(principal), issuedAt, until })
    },
    get size() {
      return entries.size
    },
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}
