import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { Clock } from '../clock'
import { AppError } from '../errors/app-error'
import { originOf } from '../http/request-context'
import type { AppEnv } from '../http/app-env'
import type { Authenticator } from '../identity/authenticator'
import type { Store } from '../store/types'

/**
 * Refused admin calls an address may leave in the audit trail per minute: anyone can send
 * refused calls, and the stored trail is capped, so past this they are counted in the log
 * instead of pushing real events out of the stream.
 */
const REFUSED_AUDITS_PER_MINUTE = 10

/** The admin API key as bearer, compared in constant time; failures count toward the lockout. */
export function requireAdmin(deps: {
  auth: Authenticator
  store: Store
  clock: Clock
}): MiddlewareHandler<AppEnv> {
  /** Whether a refused call from this address still goes to the audit trail. */
  async function auditRefusal(clientKey: string): Promise<boolean> {
    try {
      const bucket = await deps.store.limits.take(
        `admin-refused-audit:${clientKey}`,
        REFUSED_AUDITS_PER_MINUTE,
        60_000,
        deps.clock.now(),
      )
      return bucket.allowed
    } catch {
      return false
    }
  }

  return async function requireAdmin(c, next) {
    // Every call is audited with the status it got; refused ones within a per-address budget.
    let status = 500
    let admitted = false
    try {
      await deps.auth.requireAdminKey(c)
      admitted = true
      await next()
      status = c.res.status
    } catch (error) {
      status = error instanceof AppError ? error.status : 500
      throw error
    } finally {
      const fields = { method: c.req.method, route: routePath(c, -1), status }
      if (admitted || (await auditRefusal(c.get('clientKey'))))
        c.get('audit').record(originOf(c), 'admin.call', fields)
      else c.get('log').warn('audit.refused_admin_call_not_recorded', fields)
    }
  }
}
