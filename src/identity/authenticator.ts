import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import type { Config } from '../config/config'
import { AppError, bearerChallenge, invalidCredentials } from '../errors/app-error'
import { assertAllowedOrigin, isSafeMethod } from '../http/csrf'
import { isSessionSecretShape } from '../sessions/secret'
import { principalOfSession, type SessionService } from '../sessions/session-service'
import { readCredential, type Credential } from './credentials'
import type { Lockout } from './lockout'
import type { Principal } from './principal'
import { peekIssuer, type TokenVerifier } from './upstream/upstream-verifier'
import type { VerifyResult } from './upstream/verify-result'

export type Authenticator = ReturnType<typeof createAuthenticator>

/**
 * Decides who the caller is: an upstream-IdP JWT or a Bridgekeeper session, never both and never
 * anything the client merely asserts. Every failure counts toward the address's lockout.
 */
export function createAuthenticator(deps: {
  config: Config
  sessions: SessionService
  lockout: Lockout
  verifiers: TokenVerifier[]
}) {
  const { config, sessions, lockout, verifiers } = deps

  async function verifyJwt(token: string): Promise<VerifyResult> {
    const peeked = peekIssuer(token, config.upstream.maxTokenBytes)
    if ('error' in peeked) return { ok: false, reason: peeked.error }
    const verifier = verifiers.find((v) => v.handles(peeked.issuer))
    if (!verifier) return { ok: false, reason: 'unknown_issuer' }
    return verifier.verify(token, peeked.issuer)
  }

  /** Reads the credential, refusing malformed headers and cross-site cookie writes. */
  async function credentialOf(c: Context<AppEnv>): Promise<Credential> {
    const read = readCredential(c, config.upstream.cookieName)
    if (!read.ok) {
      await lockout.recordFailure(c.var.clientIp, 'malformed_authorization', c.var.log)
      throw invalidCredentials('malformed_authorization')
    }
    if (!read.credential) {
      throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': bearerChallenge() } })
    }
    if (read.credential.via === 'cookie' && !isSafeMethod(c.req.method)) {
      try {
        assertAllowedOrigin(c, config)
      } catch (error) {
        c.var.log.warn('security.csrf_refused', { origin: c.req.header('origin') ?? null })
        throw error
      }
    }
    await lockout.check(c.var.clientIp, c.var.log)
    return read.credential
  }

  async function fail(c: Context<AppEnv>, reason: string): Promise<never> {
    await lockout.recordFailure(c.var.clientIp, reason, c.var.log)
    throw invalidCredentials(reason)
  }

  /** Verifies an upstream JWT credential into a principal, or throws the generic 401. */
  async function principalFromJwt(c: Context<AppEnv>, token: string): Promise<Principal> {
    const result = await verifyJwt(token)
    if (!result.ok) return fail(c, `jwt_${result.reason}`)
    return { ...result.principal, sessionId: undefined, expiresAt: result.expiresAt, method: 'upstream_jwt' }
  }

  async function principalFromSession(c: Context<AppEnv>, secret: string) {
    if (!isSessionSecretShape(secret)) return fail(c, 'session_malformed')
    const found = await sessions.authenticate(secret)
    if (!found) return fail(c, 'session_unknown_or_expired')
    return { principal: principalOfSession(found.record), found }
  }

  return {
    verifyJwt,
    credentialOf,
    principalFromJwt,
    fail,

    /** Route middleware: any signed-in caller (session or upstream JWT). */
    requireUser(options: { sessionOnly?: boolean } = {}): MiddlewareHandler<AppEnv> {
      return async function requireUser(c, next) {
        const credential = await credentialOf(c)
        c.set('credential', credential)
        if (credential.kind === 'session') {
          const { principal, found } = await principalFromSession(c, credential.value)
          c.set('principal', principal)
          c.set('session', found)
        } else {
          if (options.sessionOnly) throw invalidCredentials('session_required')
          c.set('principal', await principalFromJwt(c, credential.value))
        }
        await next()
      }
    },
  }
}

/** The signed-in principal of a route behind `requireUser`. */
export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.var.principal
  if (!principal) throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': bearerChallenge() } })
  return principal
}
