import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { defineHasuraTemplate } from './hasura-template'

/**
 * The Hasura token template. Edit it to match your permissions: roles a user may assume, the
 * default role, and extra session variables. Put the output of
 * GET /v1/integrations/hasura/config in HASURA_GRAPHQL_JWT_SECRET.
 */
const hasura = defineHasuraTemplate({
  audience: 'hasura',
  lifetimeSeconds: 60,
  defaultRole: 'user',
  allowedRoles: (principal) => ['user', ...principal.roles],
  // Only a verified email is a session variable: Hasura permissions may match rows on it.
  sessionVariables: (principal) => ({
    'org-id': principal.orgId,
    email: principal.emailVerified ? principal.email : undefined,
  }),
})

/** Serves POST /v1/tokens/hasura. Hasura needs no secret of ours: it reads the bridge's JWKS. */
export const hasuraAdapter = defineAdapter({
  id: 'hasura',
  env: z.object({}),
  runtimes: ['node', 'workers'],
  setup: () => ({ templates: [hasura] }),
})

export { defineHasuraTemplate } from './hasura-template'
