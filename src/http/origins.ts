import type { Config } from '../config/config'

const LOCALHOST_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\]):\d{1,5}$/

/** Exact-match origin check used by CORS and CSRF (SECURITY.md, "Browsers"). Never allows `null`. */
export function originAllowed(
  config: Pick<Config, 'allowedOrigins' | 'allowLocalhostOrigins'>,
  origin: string | undefined,
): boolean {
  if (!origin || origin === 'null') return false
  if (config.allowedOrigins.includes(origin)) return true
  return config.allowLocalhostOrigins && LOCALHOST_ORIGIN.test(origin)
}
