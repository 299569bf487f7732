import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { defineJwtTemplate } from '../../src/tokens/bridge-jwt'
import type { TokenTemplate } from '../../src/tokens/template'

const convexEnv = z.object({
  CONVEX_APPLICATION_ID: z
    .string()
    .min(1)
    .default('convex')
    .describe(
      '`aud` of the tokens minted at /v1/tokens/convex: the `applicationID` in Convex’s auth.config.ts',
    ),
})

/**
 * Convex tokens for a custom JWT provider: `kid`, `alg` and `typ` headers; `iss`, `sub`, `aud`
 * (the applicationID), `iat` and `exp` claims; `name` and `email` for `ctx.auth.getUserIdentity()`.
 * GET /v1/integrations/convex/config answers the provider entry of `auth.config.ts`.
 */
function defineConvexTemplate(options: { applicationId: string }): TokenTemplate {
  const template = defineJwtTemplate({
    name: 'convex',
    audience: options.applicationId,
    lifetimeSeconds: 300,
    typ: 'JWT',
    claims: { email: '{{user.email}}', org_id: '{{org.id}}' },
  })
  return {
    ...template,
    integrationConfig: (bridge) => ({
      type: 'customJwt',
      applicationID: options.applicationId,
      issuer: bridge.issuer,
      jwks: bridge.jwksUri,
      algorithm: bridge.algorithm,
    }),
  }
}

/** Serves POST /v1/tokens/convex. */
export const convexAdapter = defineAdapter({
  id: 'convex',
  env: convexEnv,
  runtimes: ['node', 'workers'],
  setup: (env) => ({
    templates: [defineConvexTemplate({ applicationId: env.CONVEX_APPLICATION_ID })],
  }),
})
