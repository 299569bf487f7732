import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env'
import { readSessionCookie } from '../sessions/cookie'
import { SESSION_SECRET_PREFIX } from '../sessions/secret'

/** Where a credential came from matters: cookie-borne writes need the CSRF check. */
export type Credential =
  | { kind: 'session'; value: string; via: 'header' | 'cookie' }
  | { kind: 'jwt'; value: string; via: 'header' | 'cookie' }

export type CredentialRead = { ok: true; credential: Credential | null } | { ok: false }

/**
 * Reads the caller's credential from `Authorization: Bearer` or a cookie, never from the URL or
 * the body (SECURITY.md 15). A header wins over cookies.
 */
export function readCredential(c: Context<AppEnv>, upstreamCookie: string): CredentialRead {
  const header = c.req.header('authorization')
  if (header !== undefined) {
    const match = /^Bearer ([^\s]+)$/i.exec(header.trim())
    if (!match?.[1]) return { ok: false }
    const value = match[1]
    return { ok: true, credential: { kind: value.startsWith(SESSION_SECRET_PREFIX) ? 'session' : 'jwt', value, via: 'header' } }
  }
  const session = readSessionCookie(c)
  if (session) return { ok: true, credential: { kind: 'session', value: session, via: 'cookie' } }
  const upstream = getCookie(c, upstreamCookie)
  if (upstream) return { ok: true, credential: { kind: 'jwt', value: upstream, via: 'cookie' } }
  return { ok: true, credential: null }
}
