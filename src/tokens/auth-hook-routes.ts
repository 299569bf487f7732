import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../http/app-env'
import type { Clock } from '../clock'
import { AppError, invalidCredentials } from '../errors/app-error'
import {
  forwardedCredentials,
  type Authenticator,
  type CredentialSource,
} from '../identity/authenticator'
import { jsonContent, problem } from '../openapi/schemas'
import type { TokenTemplate } from './template'

const Variables = z.record(z.string(), z.string()).openapi('WebhookSessionVariables', {
  description:
    'Session variables (all strings) and `Cache-Control: max-age=…`, which the provider may cache the answer for',
})

const WebhookBody = z
  .object({
    headers: z.record(z.string(), z.string()),
    request: z.unknown().optional(),
  })
  .openapi('WebhookRequest', {
    description: "POST mode: the client's headers and the request, as the provider sends them",
  })

const responses = {
  200: jsonContent(Variables, 'The caller is signed in: its session variables'),
  401: problem(
    'A wrong webhook secret, no valid credential among the forwarded headers, or a role it may not assume',
  ),
  404: problem('No such template, or its webhook is off (no secret configured)'),
  429: problem('Too many wrong secrets from this address'),
}
const params = z.object({ template: z.string().max(64) })
const query = z.object({
  secret: z.string().max(256).optional().openapi({
    description: 'The webhook secret (HASURA_WEBHOOK_SECRET), part of the URL the provider calls',
  }),
})

const getHook = createRoute({
  method: 'get',
  path: '/v1/integrations/{template}/webhook',
  tags: ['Tokens'],
  summary:
    "A provider's auth webhook, GET mode (Hasura): the client's headers come as this request's",
  request: { params, query },
  responses,
})

const postHook = createRoute({
  method: 'post',
  path: '/v1/integrations/{template}/webhook',
  tags: ['Tokens'],
  summary: "A provider's auth webhook, POST mode (Hasura): the client's headers come in the body",
  request: {
    params,
    query,
    body: { content: { 'application/json': { schema: WebhookBody } } },
  },
  responses: { ...responses, 422: problem('Not the provider’s webhook body') },
})

/**
 * Auth webhooks: a provider (Hasura) asks, for each of its client's requests, who the caller is.
 * Only the provider may ask: it presents the webhook secret of its hook URL (a wrong one counts
 * toward the address's lockout). The credential is one of the bridge's own (a session or an
 * upstream JWT) read from the headers the provider forwarded, so a revoked session stops working
 * within the answer's cache life; a forwarded cookie must show an allowed origin. Every refusal
 * is a 401, the only refusal a provider understands.
 */
export function authHookRoutes(deps: {
  clock: Clock
  templates: TokenTemplate[]
  auth: Authenticator
}) {
  const templates = new Map(deps.templates.map((t) => [t.name, t]))

  async function answer(c: Context<AppEnv>, name: string, source: CredentialSource) {
    const template = templates.get(name)
    if (!template?.authHook || template.authHookSecret === undefined)
      throw new AppError('not_found', {
        detail: 'No token template with an auth webhook (and its secret) has this name.',
      })
    await deps.auth.requireSecret(
      c,
      c.req.query('secret'),
      template.authHookSecret,
      'auth_hook_secret_invalid',
    )
    const principal = await deps.auth.authenticate(c, { forwarded: source })
    if (template.allow && !template.allow(principal))
      throw invalidCredentials('template_not_allowed')
    const result = template.authHook(principal, (header) => source.header(header))
    if ('refused' in result) {
      c.get('log').warn('webhook.refused', { template: name, reason: result.refused })
      throw invalidCredentials(result.refused)
    }
    // A secret that a refresh replaced works only for its short grace: never cached past it.
    const remaining = c.get('session')?.viaPreviousSecret
      ? 0
      : Math.floor((principal.expiresAt - deps.clock.now()) / 1000)
    const maxAge = Math.max(0, Math.min(result.maxAgeSeconds, remaining))
    // The answer is one user's: no shared cache may keep it.
    c.header('Cache-Control', `private, max-age=${maxAge}`)
    return c.json({ ...result.variables, 'Cache-Control': `max-age=${maxAge}` }, 200)
  }

  return new OpenAPIHono<AppEnv>()
    .openapi(getHook, (c) =>
      answer(
        c,
        c.req.valid('param').template,
        forwardedCredentials(Object.fromEntries(c.req.raw.headers)),
      ),
    )
    .openapi(postHook, (c) =>
      answer(c, c.req.valid('param').template, forwardedCredentials(c.req.valid('json').headers)),
    )
}
