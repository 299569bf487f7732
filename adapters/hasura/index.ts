import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { defineHasuraTemplate } from './hasura-template'

/**
 * The Hasura token template. Edit it to match your permissions: roles a user may assume, the
 * default role, and extra session variables. Put the output of
 * GET /v1/integrations/hasura/config in HASURA_GRAPHQL_JWT_SECRET.
 */
const hasura = (webhook: { maxAgeSeconds: number; secret: string | undefined }) =>
  defineHasuraTemplate({
    audience: 'hasura',
    lifetimeSeconds: 60,
    webhookMaxAgeSeconds: webhook.maxAgeSeconds,
    webhookSecret: webhook.secret,
    defaultRole: 'user',
    allowedRoles: (principal) => ['user', ...principal.roles],
    // Only a verified email is a session variable: Hasura permissions may match rows on it.
    sessionVariables: (principal) => ({
      'org-id': principal.orgId,
      'org-role': principal.orgRole,
      email: principal.emailVerified ? principal.email : undefined,
    }),
  })

const hasuraEnv = z.object({
  HASURA_WEBHOOK_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters of random data' })
    .regex(/^[A-Za-z0-9._~-]+$/, 'use URL-safe characters (letters, digits, . _ ~ -)')
    .optional()
    .describe(
      'Secret: turns webhook mode on. Hasura presents it in the hook URL (`…/webhook?secret=…`, from `GET /v1/integrations/hasura/config?mode=webhook` with the admin key). Unset: the webhook answers 404',
    ),
  HASURA_WEBHOOK_MAX_AGE: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(60)
    .describe(
      'Webhook mode: the longest Hasura may cache an answer, in seconds (a revoked session stops working within it); never beyond the credential’s own end',
    ),
})

/**
 * Serves POST /v1/tokens/hasura (JWT mode: Hasura reads the bridge's JWKS, no secret of ours) and
 * /v1/integrations/hasura/webhook (webhook mode: Hasura asks the bridge on each request).
 */
export const hasuraAdapter = defineAdapter({
  id: 'hasura',
  env: hasuraEnv,
  runtimes: ['node', 'workers'],
  setup: (env) => ({
    templates: [
      hasura({ maxAgeSeconds: env.HASURA_WEBHOOK_MAX_AGE, secret: env.HASURA_WEBHOOK_SECRET }),
    ],
  }),
})

export { defineHasuraTemplate } from './hasura-template'
