import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../http/app-env'
import type { Config } from '../config/config'
import type { Authenticator } from '../identity/authenticator'
import { secretsEqual } from '../sessions/secret'

/** The admin API key as bearer, compared in constant time; failures count toward the lockout. */
export function requireAdmin(config: Config, auth: Authenticator): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    const credential = await auth.credentialOf(c)
    const ok =
      config.adminApiKey !== undefined &&
      credential.via === 'header' &&
      (await secretsEqual(credential.value, config.adminApiKey))
    if (!ok) await auth.fail(c, 'admin_key_invalid')
    await next()
  }
}
