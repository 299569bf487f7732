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
  401: problem('No valid credential among the forwarded headers, or a role it may not assume'),
  404: problem('No such template, or it has no webhook'),
}
const params = z.object({ template: z.string().max(64) })

const getHook = createRoute({
  method: 'get',
  path: '/v1/integrations/{template}/webhook',
  tags: ['Tokens'],
  summary:
    "A provider's auth webhook, GET mode (Hasura): the client's headers come as this request's",
  request: { params },
  responses,
})

const postHook = createRoute({
  method: 'post',
  path: '/v1/integrations/{template}/webhook',
  tags: ['Tokens'],
  summary: "A provider's auth webhook, POST mode (Hasura): the client's headers come in the body",
  request: { params, body: { content: { 'application/json': { schema: WebhookBody } } } },
  responses: { ...responses, 422: problem('Not the provider’s webhook body') },
})

/**
 * Auth webhooks: a provider (Hasura) asks, for each of its client's requests, who the caller is.
 * The credential is one of the bridge's own (a session or an upstream JWT) read from the headers
 * the provider forwarded, so a revoked session stops working within the answer's cache life.
 * Every refusal is a 401, the only refusal a provider understands.
 */
export function authHookRoutes(deps: {
  clock: Clock
  templates: TokenTemplate[]
  auth: Authenticator
}) {
  const templates = new Map(deps.templates.map((t) => [t.name, t]))

  async function answer(c: Context<AppEnv>, name: string, source: CredentialSource) {
    const template = templates.get(name)
    if (!template?.authHook)
      throw new AppError('not_found', {
        detail: 'No token template with an auth webhook has this name.',
      })
    const principal = await deps.auth.authenticate(c, { forwarded: source })
    if (template.allow && !template.allow(principal))
      throw invalidCredentials('template_not_allowed')
    const result = template.authHook(principal, (header) => source.header(header))
    if ('refused' in result) {
      c.get('log').warn('webhook.refused', { template: name, reason: result.refused })
      throw invalidCredentials(result.refused)
    }
    const remaining = Math.floor((principal.expiresAt - deps.clock.now()) / 1000)
    const maxAge = Math.max(0, Math.min(result.maxAgeSeconds, remaining))
    const cacheControl = `max-age=${maxAge}`
    c.header('Cache-Control', cacheControl)
    return c.json({ ...result.variables, 'Cache-Control': cacheControl }, 200)
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
