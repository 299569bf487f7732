import { invalidCredentials } from '../errors/app-error'
import type { Principal } from '../identity/principal'
import { newId } from '../ids/prefixed-id'
import { renderClaims, shortcodeProblems, type ClaimSpec } from './shortcodes'
import type { MintContext, MintedToken, TokenTemplate } from './template'

/** Claims only the bridge sets (SECURITY.md, "Tokens the bridge mints"). A template or a request can never set them. */
const REGISTERED_CLAIMS = ['iss', 'sub', 'aud', 'iat', 'exp', 'nbf', 'jti'] as const

export const DEFAULT_LIFETIME_SECONDS = 60
export const DEFAULT_SKEW_SECONDS = 5

export type BridgeJwtOptions = {
  audience: string | string[]
  lifetimeSeconds?: number
  skewSeconds?: number
  /** The JOSE `typ` header; minted tokens never use the development login type. */
  typ?: string
}

/**
 * Signs a JWT with the bridge's active key. `iss`, `sub`, `aud`, `iat`, `nbf`, `exp` and `jti` come
 * from the bridge; `exp` never passes the end of the credential the principal signed in with.
 */
export async function signBridgeJwt(
  context: MintContext,
  claims: Record<string, unknown>,
  options: BridgeJwtOptions,
): Promise<MintedToken> {
  const now = Math.floor(context.now / 1000)
  const lifetime = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS
  const exp = Math.min(now + lifetime, Math.floor(context.principal.expiresAt / 1000))
  if (exp <= now) throw invalidCredentials('credential_expiring')
  const key = await context.keys.activeKey()
  const jti = newId('tok', context.now)
  const payload = { ...claims }
  for (const name of REGISTERED_CLAIMS) delete payload[name]
  const token = await context.sign(
    { alg: key.alg, kid: key.kid, typ: options.typ ?? 'JWT' },
    {
      ...payload,
      iss: context.issuer,
      sub: context.principal.userId,
      aud: options.audience,
      iat: now,
      nbf: now - (options.skewSeconds ?? DEFAULT_SKEW_SECONDS),
      exp,
      jti,
    },
    key,
  )
  const aud = Array.isArray(options.audience) ? options.audience.join(' ') : options.audience
  return {
    token,
    expiresAt: exp * 1000,
    audit: { kid: key.kid, jti, aud, sub: context.principal.userId },
  }
}

export type JwtTemplateOptions = BridgeJwtOptions & {
  name: string
  /** Claims from the principal: shortcodes such as `{{user.id}}`, static values, or a function. */
  claims?: Record<string, ClaimSpec>
  allow?: (principal: Principal) => boolean
}

/** A generic JWT template, like Clerk's JWT templates. */
export function defineJwtTemplate(options: JwtTemplateOptions): TokenTemplate {
  const claims = options.claims ?? {}
  return {
    name: options.name,
    bridgeKeyLifetimeSeconds: options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS,
    allow: options.allow,
    problems() {
      const problems = shortcodeProblems(claims)
      for (const name of REGISTERED_CLAIMS)
        if (name in claims) problems.push(`claims: "${name}" is set by the bridge`)
      const lifetime = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS
      if (lifetime < 1 || lifetime > 86_400) problems.push('lifetimeSeconds must be 1-86400')
      const skew = options.skewSeconds ?? DEFAULT_SKEW_SECONDS
      if (skew < 0 || skew > 60) problems.push('skewSeconds must be 0-60')
      return problems
    },
    async mint(context) {
      const rendered = renderClaims(claims, context.principal)
      return signBridgeJwt(context, rendered as Record<string, unknown>, options)
    },
  }
}
