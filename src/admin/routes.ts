import { OpenAPIHono } from '@hono/zod-openapi'
import type { Config } from '../config/config'
import type { AppEnv } from '../http/app-env'
import type { Authenticator } from '../identity/authenticator'
import type { UserNamespaces } from '../identity/namespaces'
import type { KeyProvider } from '../keys/key-provider'
import type { SessionService } from '../sessions/session-service'
import type { AuditTrail } from '../audit/audit-trail'
import type { Clock } from '../clock'
import type { Store } from '../store/types'
import { adminAuditRoutes } from './audit-routes'
import { adminKeyRoutes } from './key-routes'
import { requireAdmin } from './require-admin'
import { adminSessionRoutes } from './session-routes'

/** Every admin route, under /v1/admin and behind the admin API key. */
export function adminRoutes(deps: {
  config: Config
  sessions: SessionService
  keys: KeyProvider
  auth: Authenticator
  namespaces: UserNamespaces
  audit: AuditTrail
  store: Store
  clock: Clock
}) {
  const app = new OpenAPIHono<AppEnv>()
  // In Hono '/v1/admin/*' also matches '/v1/admin' itself.
  app.use('/v1/admin/*', requireAdmin(deps))
  app.route('/', adminSessionRoutes(deps))
  app.route('/', adminKeyRoutes(deps.keys))
  app.route('/', adminAuditRoutes(deps.audit))
  return app
}
