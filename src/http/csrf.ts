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
  const refusal = originRefusal((name) => c.req.header(name), config)
  if (refusal) throw new AppError('origin_not_allowed', { reason: refusal })
}

/**
 * Why a browser request's headers (its own, or those an intermediary forwarded) don't show an
 * allowed origin; null when they do.
 */
export function originRefusal(
  header: (name: string) => string | undefined,
  config: Config,
): 'csrf_origin' | 'csrf_no_origin' | null {
  const origin = header('origin')
  if (origin !== undefined)
    return origin === config.publicUrl || originAllowed(config, origin) ? null : 'csrf_origin'
  return header('sec-fetch-site') === 'same-origin' ? null : 'csrf_no_origin'
}
