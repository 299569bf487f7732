import { SessionPrincipalSchema, type SessionPrincipal } from '../identity/principal'
import type { StoredPrincipal } from '../store/types'

/**
 * The principal as a session keeps it. Stores hold it as opaque JSON; only this module writes it
 * and reads it back, parsed against its schema (a store's JSON drops `undefined` members and may
 * hold a principal written by an older version).
 */
export function encodePrincipal(principal: SessionPrincipal): StoredPrincipal {
  return principal
}

// A store that hands back the same stored object for the same session (memory, Redis's parse
// cache) gets the same decoded principal without parsing it again; frozen, since it is shared.
const decoded = new WeakMap<object, SessionPrincipal>()

export function decodePrincipal(stored: StoredPrincipal): SessionPrincipal {
  const key = typeof stored === 'object' && stored !== null ? stored : undefined
  const cached = key && decoded.get(key)
  if (cached) return cached
  const principal = Object.freeze(SessionPrincipalSchema.parse(stored))
  if (key) decoded.set(key, principal)
  return principal
}
