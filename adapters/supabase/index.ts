import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { defineJwtTemplate } from '../../src/tokens/bridge-jwt'
import type { TokenTemplate } from '../../src/tokens/template'

const supabaseEnv = z.object({
  SUPABASE_AUDIENCE: z
    .string()
    .min(1)
    .default('authenticated')
    .describe('`aud` of the tokens minted at /v1/tokens/supabase'),
})

/**
 * Supabase tokens for Supabase's third-party auth: Supabase fetches the bridge's discovery
 * document and JWKS, checks the signature (`kid` in the header, the bridge's asymmetric key) and
 * switches Postgres to the role in `role`. Row-level security policies read the claims with
 * `auth.jwt()`: `auth.jwt()->>'sub'` is the bridge's user id (not a uuid, so not `auth.uid()`),
 * `auth.jwt()->>'org_id'` the organization, `auth.jwt()->'user_roles'` the roles.
 */
function defineSupabaseTemplate(options: { audience: string }): TokenTemplate {
  const template = defineJwtTemplate({
    name: 'supabase',
    audience: options.audience,
    lifetimeSeconds: 300,
    claims: {
      role: 'authenticated',
      email: '{{user.email}}',
      user_roles: '{{user.roles}}',
      org_id: '{{org.id}}',
    },
  })
  return {
    ...template,
    integrationConfig: (bridge) => ({
      // Supabase dashboard: Authentication > Third-party auth > OpenID Connect issuer.
      issuer: bridge.issuer,
      discovery: `${bridge.issuer}/.well-known/openid-configuration`,
      jwks_uri: bridge.jwksUri,
      audience: options.audience,
    }),
  }
}

/** Serves POST /v1/tokens/supabase. */
export const supabaseAdapter = defineAdapter({
  id: 'supabase',
  env: supabaseEnv,
  runtimes: ['node', 'workers'],
  setup: (env) => ({ templates: [defineSupabaseTemplate({ audience: env.SUPABASE_AUDIENCE })] }),
})
