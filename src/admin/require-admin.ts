import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { AppError } from '../errors/app-error'
import { originOf } from '../http/request-context'
import type { AppEnv } from '../http/app-env'
import type { Config } from '../config/config'
import type { Authenticator } from '../identity/authenticator'
import { secretsEqual } from '../sessions/secret'

/** The admin API key as bearer, compared in constant time; failures count toward the lockout. */
export function requireAdmin(config: Config, auth: Authenticator): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    // Every call is audited, refused ones too (with the status they got).
    let status = 500
    try {
      const credential = await auth.credentialOf(c)
      const ok =
        config.adminApiKey !== undefined &&
        credential.via === 'header' &&
        (await secretsEqual(credential.value, config.adminApiKey))
      if (!ok) await auth.fail(c, 'admin_key_invalid')
      await next()
      status = c.res.status
    } catch (error) {
      status = error instanceof AppError ? error.status : 500
      throw error
    } finally {
      c.get('audit').record(originOf(c), 'admin.call', {
        method: c.req.method,
        route: routePath(c, -1),
        status,
      })
    }
  }
}
