import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../http/app-env'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import { AppError, invalidCredentials } from '../errors/app-error'
import { principalOf, type Authenticator } from '../identity/authenticator'
import { userKey } from '../identity/principal'
import { readOptionalJson } from '../http/optional-json'
import { jsonContent, problem, userSecurity } from '../openapi/schemas'
import { clearSessionCookie, writeSessionCookie } from './cookie'
import { CreateSessionBody, SessionCreatedSchema, SessionSchema, sessionView } from './schemas'
import { issueSession } from './issue-session'
import { originOf } from '../http/request-context'
import { sessionFields, type SessionService } from './session-service'

const authProblems = {
  401: problem('Not signed in, or the credential is invalid'),
  403: problem('A cookie-authenticated write from an origin that is not allowed'),
  429: problem('Too many attempts'),
  503: problem('The session store is unavailable'),
}

const create = createRoute({
  method: 'post',
  path: '/v1/sessions',
  tags: ['Sessions'],
  summary: 'Exchange a verified upstream token for a new session',
  security: [{ bearer: [] }, { upstreamCookie: [] }],
  request: {
    body: { content: { 'application/json': { schema: CreateSessionBody } }, required: false },
  },
  responses: {
    201: jsonContent(SessionCreatedSchema, 'A new session'),
    422: problem('Invalid body'),
    ...authProblems,
  },
})

const list = createRoute({
  method: 'get',
  path: '/v1/sessions',
  tags: ['Sessions'],
  summary: "The caller's sessions",
  security: userSecurity,
  responses: {
    200: jsonContent(z.object({ data: z.array(SessionSchema) }), 'Sessions, oldest first'),
    ...authProblems,
  },
})

const revokeOne = createRoute({
  method: 'delete',
  path: '/v1/sessions/{id}',
  tags: ['Sessions'],
  summary: "Revoke one of the caller's sessions",
  security: userSecurity,
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: {
    204: { description: 'Revoked' },
    404: problem('No such session of the caller'),
    ...authProblems,
  },
})

const revokeAll = createRoute({
  method: 'delete',
  path: '/v1/sessions',
  tags: ['Sessions'],
  summary: "Sign out everywhere: revoke all of the caller's sessions",
  security: userSecurity,
  responses: {
    200: jsonContent(z.object({ revoked: z.number().int() }), 'How many were revoked'),
    ...authProblems,
  },
})

const refresh = createRoute({
  method: 'post',
  path: '/v1/sessions/refresh',
  tags: ['Sessions'],
  summary: 'Rotate the session secret; the old one keeps working for a short grace',
  security: userSecurity,
  responses: {
    200: jsonContent(SessionCreatedSchema, 'The session with its new secret'),
    409: problem('The secret was already rotated'),
    ...authProblems,
  },
})

export function sessionRoutes(deps: {
  config: Config
  clock: Clock
  sessions: SessionService
  auth: Authenticator
}) {
  const { config, clock, sessions, auth } = deps
  const app = new OpenAPIHono<AppEnv>()
  // Explicit methods and paths: a `/v1/sessions/*` pattern would also match the sign-in route.
  const user = auth.requireUser()
  app.on(['GET', 'DELETE'], '/v1/sessions', user)
  app.on('DELETE', '/v1/sessions/:id', user)
  app.on('POST', '/v1/sessions/refresh', auth.requireUser({ kinds: ['session'] }))

  return app
    .openapi(create, async (c) => {
      const body = await readOptionalJson(c, CreateSessionBody)
      // Only an upstream token signs in: a session can't mint a session, and a stale session
      // cookie next to a valid upstream cookie doesn't get in the way.
      const principal = await auth.authenticate(c, { kinds: ['token'] })
      const { sessionId: _, expiresAt: __, method: ___, ...sessionPrincipal } = principal
      return c.json(
        await issueSession(c, { config, sessions }, sessionPrincipal, body.transport ?? 'cookie'),
        201,
      )
    })
    .openapi(list, async (c) => {
      const principal = principalOf(c)
      const records = await sessions.list(userKey(principal))
      return c.json({ data: records.map((r) => sessionView(r, principal.sessionId)) }, 200)
    })
    .openapi(revokeOne, async (c) => {
      const principal = principalOf(c)
      const { id } = c.req.valid('param')
      const record = await sessions.get(id)
      // Another user's session answers exactly like a missing one.
      if (!record || record.userKey !== userKey(principal))
        throw new AppError('not_found', { reason: 'session_not_owned' })
      await sessions.revoke({ session: record }, 'user', originOf(c))
      if (id === principal.sessionId && c.get('credential')?.via === 'cookie') clearSessionCookie(c)
      return c.body(null, 204)
    })
    .openapi(revokeAll, async (c) => {
      const principal = principalOf(c)
      const revoked = await sessions.revoke({ user: principal }, 'user', originOf(c))
      if (c.get('credential')?.via === 'cookie') clearSessionCookie(c)
      return c.json({ revoked }, 200)
    })
    .openapi(refresh, async (c) => {
      const current = c.get('session')
      const credential = c.get('credential')
      if (!current || !credential) throw invalidCredentials('session_required')
      // The previous secret, inside its grace: the same answer as the refresh that replaced it
      // (its response may have been lost), unless the session was refreshed again since.
      const rotated = current.viaPreviousSecret
        ? await sessions.repeatRotation(current.record, credential.value)
        : await sessions.rotate(current.record, credential.value)
      if (!rotated) throw new AppError('conflict', { detail: 'This secret was already rotated.' })
      c.get('log').info('session.rotated', sessionFields(rotated.record))
      const view = sessionView(rotated.record, rotated.record.id)
      if (credential.via === 'cookie') {
        writeSessionCookie(
          c,
          rotated.secret,
          Math.ceil((rotated.record.absoluteExpiresAt - clock.now()) / 1000),
        )
        return c.json({ session: view }, 200)
      }
      return c.json({ session: view, secret: rotated.secret }, 200)
    })
}
