import type { Context } from 'hono'
import type { Config } from '../config/config'
import type { AppEnv } from '../http/app-env'
import { userKey, type SessionPrincipal } from '../identity/principal'
import { writeSessionCookie } from './cookie'
import { sessionView } from './schemas'
import { recordAudit } from '../http/request-context'
import { sessionFields, type SessionService } from './session-service'

/**
 * Creates a session for a verified principal (sign-in, or an admin-created session), within the
 * per-user and per-address sign-in budgets. A cookie transport sets the session cookie; a bearer
 * transport returns the secret, once.
 */
export async function issueSession(
  c: Context<AppEnv>,
  deps: { config: Config; sessions: SessionService },
  principal: SessionPrincipal,
  transport: 'cookie' | 'bearer',
  /** Who asked, when not the user signing in (an admin). */
  by?: 'admin',
) {
  const { config, sessions } = deps
  await sessions.checkCreateRate(userKey(principal), c.get('clientKey'))
  const { record, secret, evicted } = await sessions.create(principal, {
    userAgent: c.req.header('user-agent'),
    ip: c.get('clientIp'),
  })
  recordAudit(c, 'session.created', {
    ...sessionFields(record),
    transport,
    ...(by === undefined ? {} : { by }),
    ip: c.get('clientIp'),
  })
  for (const id of evicted)
    recordAudit(c, 'session.revoked', {
      userId: principal.userId,
      issuer: principal.issuer,
      sessionId: id,
      by: 'cap',
    })
  if (transport === 'cookie') writeSessionCookie(c, secret, config.sessions.absoluteSeconds)
  return { session: sessionView(record, record.id), ...(transport === 'bearer' ? { secret } : {}) }
}
