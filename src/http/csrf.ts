import type { Context } from 'hono'
import type { AppEnv } from './app-env'
import type { Config } from '../config/config'
import { AppError } from '../errors/app-error'
import { originAllowed } from './origins'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method)
}

/**
 * CSRF defence for cookie-authenticated writes (SECURITY.md, "Browsers"): the request must come from an
 * allowed origin (or say `Sec-Fetch-Site: same-origin`). Bearer requests need no check: a
 * browser never attaches them by itself.
 */
export function assertAllowedOrigin(c: Context<AppEnv>, config: Config): void {
  const origin = c.req.header('origin')
  if (origin !== undefined) {
    if (origin === config.publicUrl || originAllowed(config, origin)) return
    throw new AppError('origin_not_allowed', { reason: 'csrf_origin' })
  }
  if (c.req.header('sec-fetch-site') === 'same-origin') return
  throw new AppError('origin_not_allowed', { reason: 'csrf_no_origin' })
}
