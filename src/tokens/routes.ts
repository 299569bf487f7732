import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../http/app-env'
import type { Metrics } from '../log/metrics'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import { AppError } from '../errors/app-error'
import { principalOf, type Authenticator } from '../identity/authenticator'
import { userKey, type Principal } from '../identity/principal'
import type { JwsSigner } from '../keys/jws'
import type { KeyProvider } from '../keys/key-provider'
import { readOptionalJson } from '../http/optional-json'
import { recordAudit } from '../http/request-context'
import { jsonContent, problem, userSecurity } from '../openapi/schemas'
import { enforceBudgets } from '../budgets/enforce-budgets'
import type { Store } from '../store/types'
import type { TokenTemplate } from './template'

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
    200: jsonContent(z.record(z.string(), z.unknown()), 'Provider settings (no secrets)'),
    404: problem('No such template, or it needs no settings'),
  },
})

/** POST /v1/tokens/{template}: per-user rate limit, then the template mints. */
export function tokenRoutes(deps: {
  config: Config
  clock: Clock
  store: Store
  keys: KeyProvider
  templates: TokenTemplate[]
  auth: Authenticator
  sign: JwsSigner
  metrics: Metrics
}) {
  const { config, clock, store, keys, auth, sign } = deps
  const templates = new Map(deps.templates.map((t) => [t.name, t]))
  const windowMs = config.minting.windowSeconds * 1000
  const app = new OpenAPIHono<AppEnv>()
  app.use('/v1/tokens/:template', auth.requireUser())

  /** Mints with `template` for `principal`: its rule, the budgets, then the template signs. */
  async function mintWith(c: Context<AppEnv>, template: TokenTemplate, principal: Principal) {
    if (template.allow && !template.allow(principal)) {
      throw new AppError('forbidden', {
        detail: 'This token template is not available to you.',
        reason: 'template_not_allowed',
      })
    }
    await enforceBudgets(
      store,
      clock,
      [
        { key: `mint:${userKey(principal)}`, capacity: config.minting.perUser, windowMs },
        { key: `mint-ip:${c.get('clientKey')}`, capacity: config.minting.perIp, windowMs },
      ],
      'mint',
      { whenStoreDown: { failOpen: true, log: c.get('log') } },
    )
    const now = clock.now()
    const minted = await template.mint({
      principal,
      now,
      issuer: config.publicUrl,
      keys,
      sign,
    })
    recordAudit(c, 'token.minted', {
      template: template.name,
      userId: principal.userId,
      issuer: principal.issuer,
      kid: minted.audit.kid,
      jti: minted.audit.jti,
      audience: minted.audit.aud,
      subject: minted.audit.sub,
      expiresAt: new Date(minted.expiresAt).toISOString(),
      sessionId: principal.sessionId,
    })
    const response = c.json(
      {
        token: minted.token,
        expiresAt: new Date(minted.expiresAt).toISOString(),
        expiresIn: Math.max(0, Math.floor((minted.expiresAt - now) / 1000)),
      },
      200,
    )
    deps.metrics.mint(template.name, 'issued')
    return response
  }

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
      const template = templates.get(c.req.valid('param').template)
      if (!template) throw new AppError('not_found', { detail: 'No token template has this name.' })
      try {
        return await mintWith(c, template, principal)
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'internal'
        deps.metrics.mint(template.name, code)
        recordAudit(c, 'token.refused', { template: template.name, userId: principal.userId, code })
        throw error
      }
    })
    .openapi(integration, async (c) => {
      const template = templates.get(c.req.valid('param').template)
      const name = c.req.valid('param').template
      const settings =
        c.req.valid('query').mode === 'webhook'
          ? template?.webhookConfig?.(`${config.publicUrl}/v1/integrations/${name}/webhook`)
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
