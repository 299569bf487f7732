import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { parse as parseCookies } from 'hono/utils/cookie'
import type { Config } from '../config/config'
import { AppError, bearerChallenge, invalidCredentials } from '../errors/app-error'
import type { AppEnv } from '../http/app-env'
import { assertAllowedOrigin, isSafeMethod, originRefusal } from '../http/csrf'
import { secretsEqual } from '../crypto/secrets-equal'
import type { Lockout } from './lockout'
import type { Principal } from './principal'
import {
  notMine,
  type Credential,
  type CredentialVerifier,
  type FailureOptions,
  type Verification,
  type VerifierKind,
} from './verifier'

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in caller, set by `requireUser`. */
    principal: Principal | undefined
    /** The credential that authenticated the request (kept in memory only). */
    credential: Credential | undefined
  }
}

export type Authenticator = ReturnType<typeof createAuthenticator>
type Options = {
  kinds?: readonly VerifierKind[]
  /**
   * The credential was forwarded by an intermediary on a user's behalf (Hasura calling its auth
   * webhook): it is read from these headers, not the request's own; the intermediary's address
   * is neither locked out nor charged with failures (it speaks for every user), and no CSRF
   * check applies (the answer changes nothing).
   */
  forwarded?: CredentialSource
}

/** Where a credential is read from: the request, or headers an intermediary forwarded. */
export type CredentialSource = {
  header(name: string): string | undefined
  cookie(name: string): string | undefined
}

/** Headers an intermediary forwarded (Hasura's POST-mode webhook body). */
export function forwardedCredentials(headers: Record<string, string>): CredentialSource {
  const forwarded = new Headers(headers)
  const cookies = parseCookies(forwarded.get('cookie') ?? '')
  return { header: (name) => forwarded.get(name) ?? undefined, cookie: (name) => cookies[name] }
}

function requestCredentials(c: Context<AppEnv>): CredentialSource {
  return { header: (name) => c.req.header(name), cookie: (name) => getCookie(c, name) }
}

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
    options: FailureOptions & { forwarded?: boolean } = {},
  ): Promise<never> {
    if (options.blame === 'bridge') c.get('log').warn('security.auth_unverifiable', { reason })
    else if (options.forwarded)
      c.get('log').warn('security.auth_failed', { reason, forwarded: true, ip: c.get('clientIp') })
    else await lockout.recordFailure(c.get('clientKey'), reason, c.get('log'), options.once)
    throw invalidCredentials(reason, options.headers)
  }

  /**
   * Reads the credential from `Authorization: Bearer`, else from the cookie of the first verifier
   * (of the kinds asked for) that has one; never from the URL or the body. Refuses malformed
   * headers and cookie-borne writes from origins that aren't allowed, and a locked-out address.
   */
  async function credentialOf(c: Context<AppEnv>, verifiers = deps.verifiers): Promise<Credential> {
    const credential = await presentedCredential(c, verifiers, requestCredentials(c), false)
    await lockout.check(c.get('clientKey'), c.get('log'))
    return credential
  }

  async function presentedCredential(
    c: Context<AppEnv>,
    verifiers: CredentialVerifier[],
    source: CredentialSource,
    forwarded: boolean,
  ): Promise<Credential> {
    let credential: Credential | undefined
    const header = source.header('authorization')
    if (header !== undefined) {
      const match = /^Bearer ([^\s]+)$/i.exec(header.trim())
      if (!match?.[1]) return fail(c, 'malformed_authorization', { forwarded })
      credential = { value: match[1], via: 'header' }
    } else {
      for (const verifier of verifiers) {
        const value = source.cookie(verifier.cookieName(c))
        if (value) {
          credential = { value, via: 'cookie' }
          break
        }
      }
    }
    if (!credential)
      throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': bearerChallenge() } })
    // A forwarded cookie authorizes whatever the intermediary does next (Hasura runs mutations
    // too), so it meets the rule of cookie writes, on the headers the browser sent.
    if (credential.via === 'cookie' && forwarded) {
      const refusal = originRefusal((name) => source.header(name), config)
      if (refusal) return fail(c, `forwarded_cookie_${refusal}`, { forwarded })
    }
    if (credential.via === 'cookie' && !forwarded && !isSafeMethod(c.req.method)) {
      try {
        assertAllowedOrigin(c, config)
      } catch (error) {
        c.get('log').warn('security.csrf_refused', { origin: c.req.header('origin') ?? null })
        throw error
      }
    }
    return credential
  }

  /**
   * Authenticates the caller with the verifiers of the given kinds, or throws the generic 401.
   * The address's lockout is read alongside the verification, not before it, so a request costs
   * one store round trip, not two (the Redis client pipelines both); a locked-out address gets
   * 429 whatever the credential was, and its failures aren't counted again.
   */
  async function authenticate(c: Context<AppEnv>, options: Options = {}): Promise<Principal> {
    const kinds = options.kinds
    const verifiers = kinds ? deps.verifiers.filter((v) => kinds.includes(v.kind)) : deps.verifiers
    const forwarded = options.forwarded !== undefined
    const source = options.forwarded ?? requestCredentials(c)
    const credential = await presentedCredential(c, verifiers, source, forwarded)
    // A session lookup on a store that can also read the address's count does both at once.
    const along = !forwarded && verifiers.some((v) => v.countsLockoutOf?.(credential))
    if (along) credential.lockout = lockout.probe(c.get('clientKey'))
    const [locked, verified] = await Promise.allSettled([
      forwarded || along ? undefined : lockout.check(c.get('clientKey'), c.get('log')),
      verify(credential, verifiers, c),
    ])
    if (along) {
      const count = credential.lockout?.count
      // Not read (the lookup failed before it, or was refused early): read it on its own.
      if (count === undefined) await lockout.check(c.get('clientKey'), c.get('log'))
      else lockout.verdict(count)
    }
    if (locked.status === 'rejected') throw locked.reason
    if (verified.status === 'rejected') throw verified.reason
    const result = verified.value
    if (result.outcome === 'failed') return fail(c, result.reason, { ...result, forwarded })
    if (result.outcome === 'not_mine') return fail(c, 'unrecognized_credential', { forwarded })
    c.set('credential', credential)
    c.set('principal', result.principal)
    c.get('accessLog').userId = result.principal.userId
    c.get('accessLog').sessionId = result.principal.sessionId
    return result.principal
  }

  /** The first verifier that claims the credential decides. */
  async function verify(
    credential: Credential,
    verifiers: CredentialVerifier[],
    c: Context<AppEnv>,
  ): Promise<Verification> {
    for (const verifier of verifiers) {
      const result = await verifier.verify(credential, c)
      if (result.outcome !== 'not_mine') return result
    }
    return notMine
  }

  /**
   * Refuses the request unless it presents `expected` (compared in constant time). The right
   * secret passes even from a locked-out address, so nobody sharing the address (a NAT, an
   * office) can lock its holder out; a wrong one from a locked-out address gets 429, and counts
   * toward the lockout otherwise. These secrets are long and random (≥ 32 characters): the
   * lockout is defence in depth against guessing, not what makes guessing hopeless.
   */
  async function requireSecret(
    c: Context<AppEnv>,
    presented: string | undefined,
    expected: string | undefined,
    reason: string,
  ): Promise<void> {
    const ok =
      expected !== undefined && presented !== undefined && (await secretsEqual(presented, expected))
    if (ok) return
    await lockout.check(c.get('clientKey'), c.get('log'))
    await fail(c, reason)
  }

  return {
    credentialOf,
    authenticate,
    fail,
    requireSecret,

    /** The admin API key as a bearer token (constant time; failures count toward the lockout). */
    async requireAdminKey(c: Context<AppEnv>): Promise<void> {
      const credential = await presentedCredential(c, deps.verifiers, requestCredentials(c), false)
      await requireSecret(
        c,
        credential.via === 'header' ? credential.value : undefined,
        config.adminApiKey,
        'admin_key_invalid',
      )
    },

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
