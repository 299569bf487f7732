import type { Clock } from '../clock'
import type { Principal } from './principal'

/** How long a verification is reused at most, whatever the token's own expiry. */
export const VERIFIED_TOKEN_TTL_MS = 60_000
const MAX_ENTRIES = 10_000
/**
 * What the cache may hold, measured as the UTF-16 size of each token and of its principal's
 * claims plus a fixed overhead: whatever MAX_TOKEN_BYTES allows, a full cache stays this size.
 */
const MAX_CACHE_BYTES = 32 * 1024 * 1024
const ENTRY_OVERHEAD_BYTES = 512

type Entry = { principal: Principal; issuedAt: number | undefined; until: number; bytes: number }

/**
 * Upstream JWTs that passed verification, so the same token sent again (a frontend sends it on
 * every request until it expires) skips the signature check. An entry is keyed by the whole
 * token (exact string equality, never a prefix or a hash), holds the principal that verification
 * produced, and ends at the token's `exp` or after VERIFIED_TOKEN_TTL_MS, whichever is first:
 * within that minute a key the issuer removed from its JWKS still counts, as it does anyway
 * for the JWKS cache (10 minutes). Failures are never kept. Bounded by count (MAX_ENTRIES) and
 * by size (MAX_CACHE_BYTES): past either, the oldest entries go first.
 */
export function verifiedTokenCache(clock: Clock, maxBytes = MAX_CACHE_BYTES) {
  const entries = new Map<string, Entry>()
  let bytes = 0
  const remove = (token: string, entry: Entry) => {
    entries.delete(token)
    bytes -= entry.bytes
  }
  return {
    get(token: string): Pick<Entry, 'principal' | 'issuedAt'> | undefined {
      const entry = entries.get(token)
      if (!entry) return undefined
      if (clock.now() >= entry.until) {
        remove(token, entry)
        return undefined
      }
      return entry
    },
    set(token: string, principal: Principal, issuedAt: number | undefined): void {
      const until = Math.min(principal.expiresAt, clock.now() + VERIFIED_TOKEN_TTL_MS)
      const size =
        2 * (token.length + JSON.stringify(principal.claims).length) + ENTRY_OVERHEAD_BYTES
      if (size > maxBytes / 100) return // one token may not take a hundredth of the cache
      const previous = entries.get(token)
      if (previous) remove(token, previous)
      if (entries.size >= MAX_ENTRIES || bytes + size > maxBytes) {
        // Drop the oldest tenth (and more, until this one fits) at once, so a full cache doesn't
        // pay for an eviction per insert.
        let drop = Math.max(1, Math.floor(entries.size / 10))
        for (const [key, entry] of entries) {
          if (drop <= 0 && bytes + size <= maxBytes) break
          remove(key, entry)
          drop--
        }
      }
      // Shared by every request that sends this token: nothing may change it.
      entries.set(token, { principal: deepFreeze(principal), issuedAt, until, bytes: size })
      bytes += size
    },
    get size() {
      return entries.size
    },
    /** The measured size of what the cache holds. */
    get bytes() {
      return bytes
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
