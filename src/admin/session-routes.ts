import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Config } from '../config/config'
import { originOf } from '../http/request-context'
import type { AppEnv } from '../http/app-env'
import { stableUserId, type Namespace, type UserNamespaces } from '../identity/namespaces'
import { userKey, type SessionPrincipal } from '../identity/principal'
import { AppError } from '../errors/app-error'
import { jsonContent, problem } from '../openapi/schemas'
import { issueSession } from '../sessions/issue-session'
import { SessionCreatedSchema } from '../sessions/schemas'
import type { SessionService } from '../sessions/session-service'

/** A user as an admin names one: a subject within an issuer (see userOf below). */
const UserRef = z.object({
  userId: z.string().min(1).max(255),
  issuer: z.string().min(1).max(255).optional().openapi({
    description:
      'The bridge itself (default: user ids under admin:) or a configured identity provider',
  }),
})

const CreateUserSessionBody = UserRef.extend({
  email: z.email().optional(),
  emailVerified: z.boolean().optional(),
  roles: z.array(z.string().min(1).max(64)).max(32).optional(),
  orgId: z.string().min(1).max(255).optional(),
})
  .strict()
  .openapi('CreateUserSession')

const RevokeUserBody = UserRef.strict().openapi('RevokeUserSessions', {
  description:
    'Without issuer, userId may be a stable user id as /v1/me shows it (found across the issuers; 409 when ambiguous), or a subject of the bridge’s own admin: namespace',
})

const adminProblems = {
  401: problem('Missing or wrong admin API key'),
  503: problem('The session store is unavailable'),
}

const create = createRoute({
  method: 'post',
  path: '/v1/admin/sessions',
  tags: ['Admin'],
  summary:
    'Create a bearer session for a user a trusted backend has verified itself (admin API key)',
  security: [{ adminKey: [] }],
  request: {
    body: { content: { 'application/json': { schema: CreateUserSessionBody } }, required: true },
  },
  responses: {
    201: jsonContent(SessionCreatedSchema, 'A new session and its secret, shown once'),
    422: problem('Invalid body'),
    ...adminProblems,
  },
})

const revokeUser = createRoute({
  method: 'post',
  path: '/v1/admin/sessions/revoke',
  tags: ['Admin'],
  summary: 'Revoke every session of one user (admin API key)',
  security: [{ adminKey: [] }],
  request: {
    body: { content: { 'application/json': { schema: RevokeUserBody } }, required: true },
  },
  responses: {
    200: jsonContent(z.object({ revoked: z.number().int() }), 'How many sessions were revoked'),
    409: problem('Without issuer, the user id names users with sessions at several issuers'),
    ...adminProblems,
  },
})

/**
 * The user a body names: `userId` is the subject within `issuer` (the bridge itself by default,
 * whose users live under `admin:`; or a configured identity provider, for a backend acting for
 * one of its users). Any other issuer is refused, so no body can reach into another id space.
 */
function userOf(namespaces: UserNamespaces, body: { userId: string; issuer?: string | undefined }) {
  const namespace = body.issuer === undefined ? namespaces.admin : namespaces.of(body.issuer)
  const userId = namespace ? stableUserId(namespace, body.userId) : null
  if (!namespace || userId === null) {
    throw new AppError('validation_failed', {
      detail:
        'issuer must be the bridge or a configured identity provider, and userId a subject of it.',
      extensions: { errors: [{ path: namespace ? 'userId' : 'issuer', message: 'not allowed' }] },
    })
  }
  return { issuer: namespace.issuer, userId, namespace }
}

/**
 * The user a revocation without `issuer` names, found across the namespaces: a stable user id
 * (as `/v1/me` and Hasura show it) whose prefix belongs to one namespace is that namespace's
 * user; an id without one is a subject of the unprefixed identity provider, or (as when the body
 * names no issuer at creation) of the bridge's own `admin:` namespace. Of several candidates the
 * one with sessions is meant; when more than one has sessions the request is refused as
 * ambiguous (409, with the issuers), never answered "revoked 0".
 */
async function revokeTarget(
  namespaces: UserNamespaces,
  sessions: SessionService,
  body: { userId: string; issuer?: string | undefined },
): Promise<{ issuer: string; userId: string }> {
  if (body.issuer !== undefined) {
    const { issuer, userId } = userOf(namespaces, body)
    return { issuer, userId }
  }
  const { userId } = body
  const prefixed = namespaces.all.filter(
    (n) => n.prefix !== '' && userId.startsWith(n.prefix) && userId.length > n.prefix.length,
  )
  const candidates =
    prefixed.length > 0
      ? prefixed.map((n) => ({ issuer: n.issuer, userId }))
      : [
          ...namespaces.all
            .filter((n) => n.prefix === '' && stableUserId(n, userId) !== null)
            .map((n) => ({ issuer: n.issuer, userId })),
          { issuer: namespaces.admin.issuer, userId: `${namespaces.admin.prefix}${userId}` },
        ]
  if (candidates.length === 1) return candidates[0] as { issuer: string; userId: string }
  const live = []
  for (const candidate of candidates)
    if ((await sessions.list(userKey(candidate))).length > 0) live.push(candidate)
  if (live.length > 1)
    throw new AppError('conflict', {
      detail: 'This user id exists at more than one issuer: name the issuer.',
      reason: 'ambiguous_user',
      extensions: { issuers: live.map((c) => c.issuer) },
    })
  // None with sessions: the bridge's own namespace, as a body without issuer always meant.
  return live[0] ?? (candidates.at(-1) as { issuer: string; userId: string })
}

/** An organization the body names, in the same issuer's namespace as the user (422 otherwise). */
function orgOf(namespace: Namespace, orgId: string | undefined): string | undefined {
  if (orgId === undefined) return undefined
  const namespaced = stableUserId(namespace, orgId)
  if (namespaced === null)
    throw new AppError('validation_failed', {
      detail: "orgId reaches into another issuer's namespace.",
      extensions: { errors: [{ path: 'orgId', message: 'not allowed' }] },
    })
  return namespaced
}

/** Admin routes over sessions: create one for a backend-verified user, revoke all of a user's. */
export function adminSessionRoutes(deps: {
  config: Config
  sessions: SessionService
  namespaces: UserNamespaces
}) {
  const { config, sessions, namespaces } = deps
  return new OpenAPIHono<AppEnv>()
    .openapi(create, async (c) => {
      const body = c.req.valid('json')
      const { namespace, ...user } = userOf(namespaces, body)
      const principal: SessionPrincipal = {
        ...user,
        email: body.email,
        emailVerified: body.emailVerified ?? false,
        roles: body.roles ?? [],
        orgId: orgOf(namespace, body.orgId),
        claims: {},
      }
      return c.json(await issueSession(c, { config, sessions }, principal, 'bearer', 'admin'), 201)
    })
    .openapi(revokeUser, async (c) => {
      const user = await revokeTarget(namespaces, sessions, c.req.valid('json'))
      const revoked = await sessions.revoke({ user }, 'admin', originOf(c))
      return c.json({ revoked }, 200)
    })
}
