import type { Context, MiddlewareHandler } from 'hono'
import type { Config } from '../config/config'
import { AppError, bearerChallenge, invalidCredentials } from '../errors/app-error'
import type { AppEnv } from '../http/app-env'
import { assertAllowedOrigin, isSafeMethod } from '../http/csrf'
import type { Lockout } from './lockout'
import type { Principal } from './principal'
import type { Credential, CredentialVerifier, FailureOptions, VerifierKind } from './verifier'

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in caller, set by `requireUser`. */
    principal: Principal | undefined
    /** The credential that authenticated the request (kept in memory only). */
    credential: Credential | undefined
  }
}

export type Authenticator = ReturnType<typeof createAuthenticator>
type Options = { kinds?: readonly VerifierKind[] }

/**
 * Decides who the caller is by asking each verifier in turn (sessions, then upstream JWTs): the
 * first that claims the credential decides, and nothing the client merely asserts counts. Every
 * failure counts toward the address's lockout and answers the same generic 401.
 */
export function createAuthenticator(deps: {
  config: Config
  lockout: Lockout
  verifiers: CredentialVerifier[]
}) {
  const { config, lockout } = deps

  async function fail(
    c: Context<AppEnv>,
    reason: string,
    options: FailureOptions = {},
  ): Promise<never> {
    if (options.blame === 'bridge') c.get('log').warn('security.auth_unverifiable', { reason })
    else await lockout.recordFailure(c.get('clientKey'), reason, c.get('log'), options.once)
    throw invalidCredentials(reason, options.headers)
  }

  /**
   * Reads the credential from `Authorization: Bearer`, else from the cookie of the first verifier
   * (of the kinds asked for) that has one; never from the URL or the body. Refuses malformed
   * headers and cookie-borne writes from origins that aren't allowed.
   */
  async function credentialOf(c: Context<AppEnv>, verifiers = deps.verifiers): Promise<Credential> {
    let credential: Credential | undefined
    const header = c.req.header('authorization')
    if (header !== undefined) {
      const match = /^Bearer ([^\s]+)$/i.exec(header.trim())
      if (!match?.[1]) return fail(c, 'malformed_authorization')
      credential = { value: match[1], via: 'header' }
    } else {
      for (const verifier of verifiers) {
        const value = verifier.cookie(c)
        if (value) {
          credential = { value, via: 'cookie' }
          break
        }
      }
    }
    if (!credential)
      throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': bearerChallenge() } })
    if (credential.via === 'cookie' && !isSafeMethod(c.req.method)) {
      try {
        assertAllowedOrigin(c, config)
      } catch (error) {
        c.get('log').warn('security.csrf_refused', { origin: c.req.header('origin') ?? null })
        throw error
      }
    }
    await lockout.check(c.get('clientKey'), c.get('log'))
    return credential
  }

  /** Authenticates the caller with the verifiers of the given kinds, or throws the generic 401. */
  async function authenticate(c: Context<AppEnv>, options: Options = {}): Promise<Principal> {
    const kinds = options.kinds
    const verifiers = kinds ? deps.verifiers.filter((v) => kinds.includes(v.kind)) : deps.verifiers
    const credential = await credentialOf(c, verifiers)
    for (const verifier of verifiers) {
      const result = await verifier.verify(credential, c)
      if (result.outcome === 'not_mine') continue
      if (result.outcome === 'failed') return fail(c, result.reason, result)
      c.set('credential', credential)
      c.set('principal', result.principal)
      c.get('accessLog').userId = result.principal.userId
      c.get('accessLog').sessionId = result.principal.sessionId
      return result.principal
    }
    return fail(c, 'unrecognized_credential')
  }

  return {
    credentialOf,
    authenticate,
    fail,

    /** Route middleware: a signed-in caller (a session or an upstream JWT unless `kinds` narrows it). */
    requireUser(options: Options = {}): MiddlewareHandler<AppEnv> {
      return async function requireUser(c, next) {
        await authenticate(c, options)
        await next()
      }
    },
  }
}

/** The signed-in principal of a route behind `requireUser`. */
export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get('principal')
  if (!principal)
    throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': bearerChallenge() } })
  return principal
}
