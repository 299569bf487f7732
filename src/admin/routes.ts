import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env'
import type { Config } from '../config/config'
import { userKey } from '../identity/principal'
import type { Authenticator } from '../identity/authenticator'
import { jsonContent, problem } from '../openapi/schemas'
import { requireAdmin } from './require-admin'
import { runRevocationHook, type RevocationHook } from '../sessions/revocation-hook'
import type { SessionService } from '../sessions/session-service'

const RevokeUserBody = z
  .object({
    userId: z.string().min(1).max(255),
    issuer: z.string().min(1).max(255).optional().openapi({ description: 'Defaults to the bridge itself (admin-created sessions)' }),
  })
  .strict()
  .openapi('RevokeUserSessions')

const revokeUser = createRoute({
  method: 'post',
  path: '/v1/admin/sessions/revoke',
  tags: ['Admin'],
  summary: 'Revoke every session of one user (admin API key)',
  security: [{ adminKey: [] }],
  request: { body: { content: { 'application/json': { schema: RevokeUserBody } }, required: true } },
  responses: {
    200: jsonContent(z.object({ revoked: z.number().int() }), 'How many sessions were revoked'),
    401: problem('Missing or wrong admin API key'),
    503: problem('The session store is unavailable'),
  },
})

/** Admin routes over sessions. */
export function adminRoutes(deps: { config: Config; sessions: SessionService; auth: Authenticator; onRevoked?: RevocationHook }) {
  const { config, sessions, auth } = deps
  const app = new OpenAPIHono<AppEnv>()
  app.use('/v1/admin/sessions/*', requireAdmin(config, auth))
  return app.openapi(revokeUser, async (c) => {
    const body = c.req.valid('json')
    const issuer = body.issuer ?? config.publicUrl
    const revoked = await sessions.revokeUser(userKey({ issuer, userId: body.userId }))
    c.var.log.warn('admin.sessions_revoked', { userId: body.userId, issuer, revoked })
    await runRevocationHook(deps.onRevoked, { issuer, userId: body.userId, scope: 'all', by: 'admin' }, c.var.log)
    return c.json({ revoked }, 200)
  })
}
