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
function readClaim(claims: Record<string, unknown>, names: string | readonly string[]): unknown {
  if (typeof names !== 'string') {
    for (const name of names) {
      const value = readClaim(claims, name)
      if (value !== undefined) return value
    }
    return undefined
  }
  const name = names
  if (name in claims) return claims[name]
  let value: unknown = claims
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** Whether a token's claims hold `name` at all (Clerk's default session token has no email). */
export function carriesClaim(
  claims: Record<string, unknown>,
  name: string | readonly string[],
): boolean {
  return readClaim(claims, name) !== undefined
}

/**
 * Builds the principal of a verified token. Null when the subject is missing or unusable, or
 * when the organization it names would reach into another issuer's namespace: organization ids
 * live in the issuer's namespace exactly as user ids do (namespaces.ts), so an org id of one
 * identity provider never matches another's, whatever the tokens say.
 */
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
  const rawOrg = readClaim(claims, mapping.org)
  const orgRole = readClaim(claims, mapping.orgRole)
  const org =
    typeof rawOrg === 'string' && rawOrg.length > 0 && rawOrg.length <= MAX_SUBJECT_LENGTH
      ? stableUserId(namespace, rawOrg)
      : undefined
  if (org === null) return null
  return {
    userId,
    issuer,
    email: typeof email === 'string' && email.length > 0 ? email : undefined,
    emailVerified: verified === true || verified === 'true',
    roles: rolesOf(readClaim(claims, mapping.roles)),
    orgId: org,
    // A role means something only within the organization the token names.
    orgRole: org && typeof orgRole === 'string' && orgRole.length > 0 ? orgRole : undefined,
    claims,
  }
}

function rolesOf(value: unknown): string[] {
  if (Array.isArray(value))
    return value.filter((role): role is string => typeof role === 'string' && role.length > 0)
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean)
  return []
}
