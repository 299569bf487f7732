import type { Context } from 'hono'
import type { Config } from '../config/config'
import type { AppEnv } from '../http/app-env'
import { userKey, type SessionPrincipal } from '../identity/principal'
import { writeSessionCookie } from './cookie'
import { sessionView } from './schemas'
import { originOf } from '../http/request-context'
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
  const origin = originOf(c)
  const { record, secret } = await sessions.create(
    principal,
    { userAgent: c.req.header('user-agent'), ip: c.get('clientIp') },
    origin,
  )
  c.get('audit').record(origin, 'session.created', {
    ...sessionFields(record),
    transport,
    ...(by === undefined ? {} : { by }),
  })
  if (transport === 'cookie') writeSessionCookie(c, secret, config.sessions.absoluteSeconds)
  return { session: sessionView(record, record.id), ...(transport === 'bearer' ? { secret } : {}) }
}
