import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { ConfigError } from '../../src/config/config'
import type { IdentityEvent, IdentityWebhook } from '../../src/webhooks/identity-webhook'
import { signedIdentityWebhook, STANDARD_HEADERS } from '../../src/webhooks/signed-delivery'

const standardEnv = z.object({
  STANDARD_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, { message: 'must be a whsec_… secret (base64)' })
    .optional()
    .describe(
      'Secret: turns on POST /v1/webhooks/standard, deliveries signed with this Standard Webhooks secret',
    ),
  STANDARD_WEBHOOK_ISSUER: z
    .url()
    .optional()
    .describe(
      'The upstream issuer (one of UPSTREAM_ISSUERS) whose users /v1/webhooks/standard names',
    ),
})

const Delivery = z.object({
  type: z.string(),
  data: z.object({
    sub: z.string().min(1),
    session_id: z.string().optional(),
    email: z.string().optional(),
    email_verified: z.boolean().optional(),
    roles: z.array(z.string()).optional(),
    org_id: z.string().min(1).optional(),
    org_role: z.string().min(1).optional(),
  }),
})

/**
 * Any identity provider that sends Standard Webhooks (https://www.standardwebhooks.com) with this
 * body: `{"type": "user.deleted" | "user.updated" | "session.ended" | "session.revoked",
 * "data": {"sub", "session_id"?, "email"?, "email_verified"?, "roles"?}}`; `sub` is the subject
 * of the user's JWTs, `session_id` their `sid` claim.
 */
function standardWebhook(secret: string, issuer: string): IdentityWebhook {
  return signedIdentityWebhook({
    provider: 'standard',
    issuer,
    secret,
    headers: STANDARD_HEADERS,
    read(payload) {
      const parsed = Delivery.safeParse(payload)
      if (!parsed.success) return { type: 'unknown', action: { kind: 'ignored' } }
      const { type, data } = parsed.data
      const action: IdentityEvent['action'] =
        type === 'user.deleted'
          ? { kind: 'user_deleted', subject: data.sub }
          : (type === 'session.ended' || type === 'session.revoked') && data.session_id
            ? { kind: 'session_ended', subject: data.sub, upstreamSessionId: data.session_id }
            : (type === 'membership.deleted' || type === 'membership.updated') && data.org_id
              ? {
                  kind: 'membership_changed',
                  subject: data.sub,
                  orgId: data.org_id,
                  role: type === 'membership.updated' ? data.org_role : undefined,
                }
              : type === 'user.updated'
                ? {
                    kind: 'user_updated',
                    subject: data.sub,
                    email: data.email_verified ? data.email : undefined,
                    roles: data.roles,
                  }
                : { kind: 'ignored' }
      return { type, action }
    },
  })
}

export const standardWebhooksAdapter = defineAdapter({
  id: 'standard-webhooks',
  env: standardEnv,
  runtimes: ['node', 'workers'],
  enabled: (env) => env.STANDARD_WEBHOOK_SECRET !== undefined,
  hint: 'set STANDARD_WEBHOOK_SECRET and STANDARD_WEBHOOK_ISSUER',
  setup(env) {
    if (!env.STANDARD_WEBHOOK_SECRET || !env.STANDARD_WEBHOOK_ISSUER)
      throw new ConfigError([
        'STANDARD_WEBHOOK_ISSUER: required with STANDARD_WEBHOOK_SECRET (the issuer whose users the events name)',
      ])
    return {
      webhooks: [standardWebhook(env.STANDARD_WEBHOOK_SECRET, env.STANDARD_WEBHOOK_ISSUER)],
      summary: ['/v1/webhooks/standard'],
    }
  },
})
