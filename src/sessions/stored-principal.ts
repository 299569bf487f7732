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

export function decodePrincipal(stored: StoredPrincipal): SessionPrincipal {
  return SessionPrincipalSchema.parse(stored)
}
