import { z } from '@hono/zod-openapi'
import type { Principal } from './principal'

export const PrincipalSchema = z
  .object({
    userId: z.string(),
    issuer: z.string(),
    email: z.string().nullable(),
    emailVerified: z.boolean(),
    roles: z.array(z.string()),
    orgId: z.string().nullable(),
    orgRole: z.string().nullable(),
    sessionId: z.string().nullable(),
    method: z.enum(['upstream_jwt', 'session']),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    claims: z.record(z.string(), z.unknown()),
  })
  .openapi('Principal')

/** The caller's view of themselves: no secret, no token. */
export function principalView(principal: Principal): z.infer<typeof PrincipalSchema> {
  return {
    userId: principal.userId,
    issuer: principal.issuer,
    email: principal.email ?? null,
    emailVerified: principal.emailVerified,
    roles: principal.roles,
    orgId: principal.orgId ?? null,
    orgRole: principal.orgRole ?? null,
    sessionId: principal.sessionId ?? null,
    method: principal.method,
    expiresAt: new Date(principal.expiresAt).toISOString(),
    claims: principal.claims,
  }
}
