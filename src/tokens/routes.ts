import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../http/app-env'
import type { Config } from '../config/config'
import { AppError } from '../errors/app-error'
import { principalOf, type Authenticator } from '../identity/authenticator'
import type { KeyProvider } from '../keys/key-provider'
import { readOptionalJson } from '../http/optional-json'
import { originOf } from '../http/request-context'
import { jsonContent, problem, userSecurity } from '../openapi/schemas'
import type { Minting } from './minting'

const TokenSchema = z
  .object({
    token: z.string(),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    expiresIn: z.number().int().openapi({
      description: 'Seconds the token has left, so a client needs no clock of its own',
    }),
  })
  .openapi('MintedToken')

const MintBody = z
  .object({
    orgId: z.string().min(1).max(255).optional().openapi({
      description: 'The organization the token is for; the caller must belong to it',
    }),
  })
  .strict()
  .openapi('MintRequest')

const mint = createRoute({
  method: 'post',
  path: '/v1/tokens/{template}',
  tags: ['Tokens'],
  summary: 'Mint a provider token (hasura, firebase, or a JWT template) for the signed-in caller',
  description:
    'Claims come from the server-side principal only: nothing in the request body or headers changes them. An optional JSON body `{"orgId": "…"}` asks for a token for one of the caller\'s organizations (403 otherwise).',
  security: userSecurity,
  // The optional body ({"orgId": …}) is read by the handler, so an empty one is fine too.
  request: { params: z.object({ template: z.string().max(64) }) },
  responses: {
    200: jsonContent(TokenSchema, 'A token; never cache it'),
    401: problem('Not signed in'),
    403: problem('This template is not for this caller, or a cross-site cookie write'),
    404: problem('No such template'),
    422: problem(
      'The principal cannot be expressed in this token (e.g. a Firebase uid over 128 characters)',
    ),
    429: problem('Minting too fast'),
    501: problem('The provider is not configured'),
    503: problem('The store is unavailable'),
  },
})

const integration = createRoute({
  method: 'get',
  path: '/v1/integrations/{template}/config',
  tags: ['Tokens'],
  summary:
    'What a provider needs to trust these tokens (for Hasura: the HASURA_GRAPHQL_JWT_SECRET value; with ?mode=webhook, the auth-webhook settings)',
  request: {
    params: z.object({ template: z.string().max(64) }),
    query: z.object({ mode: z.enum(['jwt', 'webhook']).optional() }),
  },
  responses: {
    200: jsonContent(
      z.record(z.string(), z.unknown()),
      'Provider settings (no secrets; ?mode=webhook: the hook URL with its secret, for the admin key only)',
    ),
    401: problem('?mode=webhook without the admin API key'),
    404: problem('No such template, or it needs no settings'),
  },
})

/** POST /v1/tokens/{template} (minting.ts decides), and the providers' settings. */
export function tokenRoutes(deps: {
  config: Config
  keys: KeyProvider
  auth: Authenticator
  minting: Minting
}) {
  const { config, keys, auth, minting } = deps
  const app = new OpenAPIHono<AppEnv>()
  app.use('/v1/tokens/:template', auth.requireUser())

  return app
    .openapi(mint, async (c) => {
      const principal = principalOf(c)
      const body = await readOptionalJson(c, MintBody)
      // A token for an organization only for one of its members (the principal's own org).
      if (body.orgId !== undefined && body.orgId !== principal.orgId)
        throw new AppError('forbidden', {
          detail: 'You are not a member of that organization.',
          reason: 'org_not_member',
        })
      const minted = await minting.mint(c.req.valid('param').template, principal, {
        origin: originOf(c),
        clientKey: c.get('clientKey'),
      })
      return c.json(
        {
          token: minted.token,
          expiresAt: new Date(minted.expiresAt).toISOString(),
          expiresIn: Math.max(0, Math.floor((minted.expiresAt - minted.now) / 1000)),
        },
        200,
      )
    })
    .openapi(integration, async (c) => {
      const name = c.req.valid('param').template
      const template = minting.template(name)
      const webhook = c.req.valid('query').mode === 'webhook'
      // The hook URL carries the webhook secret: only the admin key reads it.
      if (webhook) await auth.requireAdminKey(c)
      const secret = template?.authHookSecret
      const settings = webhook
        ? secret === undefined
          ? undefined
          : template?.authHookConfig?.(
              `${config.publicUrl}/v1/integrations/${name}/webhook?secret=${encodeURIComponent(secret)}`,
            )
        : template?.integrationConfig?.({
            issuer: config.publicUrl,
            jwksUri: `${config.publicUrl}/.well-known/jwks.json`,
            algorithm: (await keys.activeKey()).alg,
          })
      if (!settings)
        throw new AppError('not_found', { detail: 'This template has no provider settings.' })
      return c.json(settings, 200)
    })
}
