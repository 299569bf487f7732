import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../http/app-env'
import { jsonContent, problem, userSecurity } from '../openapi/schemas'
import { principalOf, type Authenticator } from './authenticator'
import type { DevIssuer } from './dev-issuer'
import { PrincipalSchema, principalView } from './schemas'

const me = createRoute({
  method: 'get',
  path: '/v1/me',
  tags: ['Identity'],
  summary: 'Who the caller is',
  security: userSecurity,
  responses: {
    200: jsonContent(PrincipalSchema, 'The signed-in principal'),
    401: problem('Not signed in, or the credential is invalid'),
    429: problem('Too many failed attempts from this address'),
    503: problem('The session store is unavailable'),
  },
})

export function identityRoutes({ auth }: { auth: Authenticator }) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/v1/me', auth.requireUser())
  return app.openapi(me, (c) => c.json(principalView(principalOf(c)), 200))
}

const DevTokenBody = z
  .object({
    sub: z.string().min(1).max(255),
    email: z.email().optional(),
    emailVerified: z.boolean().optional(),
    roles: z.array(z.string().min(1).max(64)).max(32).optional(),
    orgId: z.string().min(1).max(255).optional(),
    orgRole: z.string().min(1).max(64).optional(),
  })
  .strict()
  .openapi('DevTokenRequest')

const devToken = createRoute({
  method: 'post',
  path: '/dev/token',
  tags: ['Development'],
  summary: 'Development mode only: a test-user token from the built-in development issuer',
  request: { body: { content: { 'application/json': { schema: DevTokenBody } }, required: true } },
  responses: {
    200: jsonContent(
      z.object({ token: z.string(), expiresAt: z.string(), issuer: z.string() }),
      'A signed test token',
    ),
    422: problem('The body is not valid'),
  },
})

/** Registered only in development mode: in production the route does not exist at all. */
export function devRoutes({ devIssuer: dev }: { devIssuer: DevIssuer | undefined }) {
  if (!dev) return undefined
  return new OpenAPIHono<AppEnv>().openapi(devToken, async (c) => {
    const body = c.req.valid('json')
    const { token, expiresAt } = await dev.issue(body)
    c.get('log').info('dev.token_issued', { sub: body.sub })
    return c.json({ token, expiresAt: new Date(expiresAt).toISOString(), issuer: dev.issuer }, 200)
  })
}
