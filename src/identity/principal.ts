import { z } from 'zod'

/**
 * Who a user is, as verified at sign-in: what a session remembers. Parsed (not cast) when read
 * back from a store, since a store holds it as plain JSON.
 */
export const SessionPrincipalSchema = z.object({
  userId: z.string(),
  issuer: z.string(),
  email: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined),
  emailVerified: z.boolean(),
  roles: z.array(z.string()),
  orgId: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined),
  /** The caller's role in that organization (Clerk's `org_role` / `o.rol`), when the token says. */
  orgRole: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined)
    .optional(),
  claims: z.record(z.string(), z.unknown()),
})
export type SessionPrincipal = z.output<typeof SessionPrincipalSchema>

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
