import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { serialize } from 'hono/utils/cookie'
import type { AppEnv } from '../http/app-env'

/**
 * The session cookie (SECURITY.md, "Browsers"): `__Host-` prefixed over HTTPS, always HttpOnly, Secure,
 * SameSite=Lax, Path=/ and no Domain. Over plain HTTP (local development only) the prefix can't
 * be used, so the name drops it; browsers still accept Secure cookies from localhost.
 */
const HOST_COOKIE = '__Host-bk_session'
const DEV_COOKIE = 'bk_session'

/** Over HTTPS only the `__Host-` cookie counts, so a sibling domain can't plant one. */
export function sessionCookieName(c: Context<AppEnv>): string {
  return c.get('https') ? HOST_COOKIE : DEV_COOKIE
}

export function writeSessionCookie(
  c: Context<AppEnv>,
  secret: string,
  maxAgeSeconds: number,
): void {
  setCookie(c, sessionCookieName(c), secret, {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: maxAgeSeconds,
  })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, sessionCookieName(c), {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
  })
}

/** The Set-Cookie value that removes the session cookie, for a response built elsewhere (a 401). */
export function clearedSessionCookie(c: Context<AppEnv>): string {
  return serialize(sessionCookieName(c), '', {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: 0,
  })
}
