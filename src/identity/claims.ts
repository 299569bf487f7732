import type { JWTPayload } from 'jose'
import type { IssuerConfig } from '../config/env-schema'
import { stableUserId, type Namespace } from './namespaces'
import type { SessionPrincipal } from './principal'

export type ClaimMapping = IssuerConfig['claims']

const MAX_SUBJECT_LENGTH = 255

/**
 * Reads a claim by exact name first (Auth0-style names such as `https://example.com/roles` contain
 * dots), then as a dotted path into nested objects (Clerk's `o.id`).
 */
function readClaim(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name]
  let value: unknown = claims
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** Builds the principal of a verified token. Null when the subject is missing or unusable. */
export function principalFromClaims(
  namespace: Namespace,
  payload: JWTPayload,
  mapping: ClaimMapping,
): SessionPrincipal | null {
  const sub = payload.sub
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) return null
  const userId = stableUserId(namespace, sub)
  if (userId === null) return null
  const issuer = namespace.issuer
  const claims: Record<string, unknown> = { ...payload }
  const email = readClaim(claims, mapping.email)
  const verified = readClaim(claims, mapping.emailVerified)
  const org = readClaim(claims, mapping.org)
  const orgRole = readClaim(claims, mapping.orgRole)
  return {
    userId,
    issuer,
    email: typeof email === 'string' && email.length > 0 ? email : undefined,
    emailVerified: verified === true || verified === 'true',
    roles: rolesOf(readClaim(claims, mapping.roles)),
    orgId: typeof org === 'string' && org.length > 0 ? org : undefined,
    // A role means something only within the organization the token names.
    orgRole:
      typeof org === 'string' && org.length > 0 && typeof orgRole === 'string' && orgRole.length > 0
        ? orgRole
        : undefined,
    claims,
  }
}

function rolesOf(value: unknown): string[] {
  if (Array.isArray(value))
    return value.filter((role): role is string => typeof role === 'string' && role.length > 0)
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean)
  return []
}
