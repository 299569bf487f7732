import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { ConfigError } from '../../src/config/config'
import type { IdentityEvent, IdentityWebhook } from '../../src/webhooks/identity-webhook'
import { signedIdentityWebhook, SVIX_HEADERS } from '../../src/webhooks/signed-delivery'

const clerkEnv = z.object({
  CLERK_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, { message: 'must be the whsec_… signing secret' })
    .optional()
    .describe('Secret: turns on POST /v1/webhooks/clerk (the endpoint’s Svix signing secret)'),
  CLERK_ISSUER: z
    .url()
    .optional()
    .describe('Your Clerk instance’s issuer (its Frontend API URL), one of UPSTREAM_ISSUERS'),
})

type ClerkUser = {
  id: string
  primary_email_address_id?: string | null
  email_addresses?: {
    id: string
    email_address: string
    verification?: { status?: string } | null
  }[]
  public_metadata?: { roles?: unknown }
}

type ClerkMembership = {
  organization?: { id?: unknown }
  public_user_data?: { user_id?: unknown }
  role?: unknown
}

/**
 * Clerk's webhooks (sent through Svix): `user.deleted` revokes every session of the user,
 * `session.ended`, `session.revoked` and `session.removed` the bridge sessions made from that
 * Clerk session (its `sid` claim), `user.updated` those whose email or roles
 * (`public_metadata.roles`) no longer match, `organizationMembership.deleted` and `.updated`
 * those whose organization or organization role no longer holds.
 */
function clerkWebhook(secret: string, issuer: string): IdentityWebhook {
  return signedIdentityWebhook({
    provider: 'clerk',
    issuer,
    secret,
    headers: SVIX_HEADERS,
    read(payload) {
      const event = payload as { type?: unknown; data?: Record<string, unknown> }
      const type = typeof event.type === 'string' ? event.type : 'unknown'
      return { type, action: clerkAction(type, event.data ?? {}) }
    },
  })
}

function clerkAction(type: string, data: Record<string, unknown>): IdentityEvent['action'] {
  if (type === 'user.deleted' && typeof data.id === 'string')
    return { kind: 'user_deleted', subject: data.id }
  if (
    ['session.ended', 'session.revoked', 'session.removed'].includes(type) &&
    typeof data.id === 'string' &&
    typeof data.user_id === 'string'
  )
    return { kind: 'session_ended', subject: data.user_id, upstreamSessionId: data.id }
  if (type === 'organizationMembership.deleted' || type === 'organizationMembership.updated') {
    const membership = data as ClerkMembership
    const subject = membership.public_user_data?.user_id
    const orgId = membership.organization?.id
    if (typeof subject === 'string' && typeof orgId === 'string')
      return {
        kind: 'membership_changed',
        subject,
        orgId,
        role:
          type === 'organizationMembership.updated' && typeof membership.role === 'string'
            ? membership.role
            : undefined,
      }
  }
  if (type === 'user.updated' && typeof data.id === 'string') {
    const user = data as ClerkUser
    const primary = user.email_addresses?.find((e) => e.id === user.primary_email_address_id)
    const roles = user.public_metadata?.roles
    return {
      kind: 'user_updated',
      subject: user.id,
      email: primary?.verification?.status === 'verified' ? primary.email_address : undefined,
      roles: Array.isArray(roles) && roles.every((r) => typeof r === 'string') ? roles : undefined,
    }
  }
  return { kind: 'ignored' }
}

export const clerkAdapter = defineAdapter({
  id: 'clerk',
  env: clerkEnv,
  runtimes: ['node', 'workers'],
  enabled: (env) => env.CLERK_WEBHOOK_SECRET !== undefined,
  hint: 'set CLERK_WEBHOOK_SECRET and CLERK_ISSUER',
  setup(env) {
    if (!env.CLERK_WEBHOOK_SECRET || !env.CLERK_ISSUER)
      throw new ConfigError(['CLERK_ISSUER: required with CLERK_WEBHOOK_SECRET'])
    return {
      webhooks: [clerkWebhook(env.CLERK_WEBHOOK_SECRET, env.CLERK_ISSUER)],
      summary: ['/v1/webhooks/clerk'],
    }
  },
})
