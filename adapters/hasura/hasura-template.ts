import type { Principal } from '../../src/identity/principal'
import {
  DEFAULT_LIFETIME_SECONDS,
  DEFAULT_SKEW_SECONDS,
  signBridgeJwt,
} from '../../src/tokens/bridge-jwt'
import type { TokenTemplate } from '../../src/tokens/template'

/** Hasura's default claims namespace. https://hasura.io/docs/latest/auth/authentication/jwt/ */
const HASURA_DEFAULT_NAMESPACE = 'https://hasura.io/jwt/claims'

export type HasuraTemplateOptions = {
  name?: string
  /** The `aud` of the tokens; put the same value in HASURA_GRAPHQL_JWT_SECRET. */
  audience?: string
  lifetimeSeconds?: number
  skewSeconds?: number
  /** Where the claims go: a namespace key (default) or a JSONPath like `$` or `$.hasura`. */
  claimsNamespace?: string
  claimsNamespacePath?: string
  /** `json` (an object) or `stringified_json` (the object serialized as a string). */
  claimsFormat?: 'json' | 'stringified_json'
  /** The role Hasura uses when the client sends no X-Hasura-Role. */
  defaultRole?: string | ((principal: Principal) => string)
  /** Roles the client may pick with X-Hasura-Role. The default role is always added. */
  allowedRoles?: (principal: Principal) => string[]
  /** Extra session variables (names without the `x-hasura-` prefix); values become strings. */
  sessionVariables?: (principal: Principal) => Record<string, string | number | boolean | undefined>
  allow?: (principal: Principal) => boolean
  /** Webhook mode: the longest Hasura may cache an answer (seconds, default 60, at most 3600). */
  webhookMaxAgeSeconds?: number
  /** Webhook mode's secret (HASURA_WEBHOOK_SECRET): without one the webhook is off. */
  webhookSecret?: string | undefined
}

const DEFAULT_WEBHOOK_MAX_AGE_SECONDS = 60
const PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_-]*)*$/
const VARIABLE = /^[a-z0-9][a-z0-9-]*$/

/**
 * Hasura JWTs: `x-hasura-allowed-roles`, `x-hasura-default-role` and `x-hasura-user-id` always
 * present, every `x-hasura-*` value a string except allowed-roles (docs/providers.md, Hasura).
 */
export function defineHasuraTemplate(options: HasuraTemplateOptions = {}): TokenTemplate {
  const name = options.name ?? 'hasura'
  const audience = options.audience ?? 'hasura'
  const format = options.claimsFormat ?? 'json'
  const lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS
  const defaultRoleOf = (p: Principal) =>
    typeof options.defaultRole === 'function'
      ? options.defaultRole(p)
      : (options.defaultRole ?? 'user')

  const hasuraClaims = (principal: Principal): Record<string, unknown> => {
    const defaultRole = defaultRoleOf(principal)
    const allowed = [
      ...new Set([defaultRole, ...(options.allowedRoles?.(principal) ?? principal.roles)]),
    ]
    const claims: Record<string, unknown> = {
      'x-hasura-allowed-roles': allowed,
      'x-hasura-default-role': defaultRole,
      'x-hasura-user-id': principal.userId,
    }
    const extra = options.sessionVariables
      ? options.sessionVariables(principal)
      : { 'org-id': principal.orgId }
    for (const [key, value] of Object.entries(extra)) {
      const variable = key.toLowerCase().replace(/^x-hasura-/, '')
      if (value === undefined || !VARIABLE.test(variable)) continue
      if (['allowed-roles', 'default-role', 'user-id', 'role'].includes(variable)) continue
      claims[`x-hasura-${variable}`] = String(value)
    }
    return claims
  }

  const place = (claims: Record<string, unknown>): Record<string, unknown> => {
    const value = format === 'stringified_json' ? JSON.stringify(claims) : claims
    if (options.claimsNamespacePath !== undefined) {
      const parts = options.claimsNamespacePath.split('.').slice(1)
      if (parts.length === 0) return claims // `$`: the claims sit at the top level, always as an object
      const root: Record<string, unknown> = {}
      let node = root
      for (const part of parts.slice(0, -1)) {
        const child: Record<string, unknown> = {}
        node[part] = child
        node = child
      }
      node[parts.at(-1) ?? ''] = value
      return root
    }
    return { [options.claimsNamespace ?? HASURA_DEFAULT_NAMESPACE]: value }
  }

  return {
    name,
    bridgeKeyLifetimeSeconds: lifetimeSeconds,
    allow: options.allow,
    ...(options.webhookSecret === undefined ? {} : { authHookSecret: options.webhookSecret }),
    problems() {
      const problems: string[] = []
      if (options.claimsNamespace !== undefined && options.claimsNamespacePath !== undefined)
        problems.push('set claimsNamespace or claimsNamespacePath, not both')
      if (options.claimsNamespacePath !== undefined && !PATH.test(options.claimsNamespacePath))
        problems.push('claimsNamespacePath must be a simple JSONPath such as $ or $.hasura')
      if (options.claimsNamespacePath === '$' && format === 'stringified_json')
        problems.push('claimsNamespacePath "$" cannot use stringified_json')
      if (typeof options.defaultRole === 'string' && options.defaultRole.length === 0)
        problems.push('defaultRole is empty')
      const maxAge = options.webhookMaxAgeSeconds ?? DEFAULT_WEBHOOK_MAX_AGE_SECONDS
      if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 3600)
        problems.push('webhookMaxAgeSeconds must be 0-3600')
      return problems
    },
    async mint(context) {
      return signBridgeJwt(context, place(hasuraClaims(context.principal)), {
        audience,
        lifetimeSeconds,
        skewSeconds: options.skewSeconds ?? DEFAULT_SKEW_SECONDS,
      })
    },
    /**
     * Webhook mode (https://hasura.io/docs/latest/auth/authentication/webhook/): the session
     * variables as strings, `x-hasura-role` being the role the client asked for with the
     * X-Hasura-Role header when it may assume it (else the request is refused), or the default.
     */
    authHook(principal, header) {
      const claims = hasuraClaims(principal)
      const allowed = claims['x-hasura-allowed-roles'] as string[]
      const requested = header('x-hasura-role')
      if (requested !== undefined && !allowed.includes(requested))
        return { refused: 'role_not_allowed' }
      const variables: Record<string, string> = {
        'x-hasura-role': requested ?? String(claims['x-hasura-default-role']),
      }
      for (const [key, value] of Object.entries(claims))
        if (typeof value === 'string' && key !== 'x-hasura-default-role') variables[key] = value
      return {
        variables,
        maxAgeSeconds: options.webhookMaxAgeSeconds ?? DEFAULT_WEBHOOK_MAX_AGE_SECONDS,
      }
    },
    authHookConfig(url) {
      // POST mode forwards every client header, Origin included (a cookie needs it).
      return { HASURA_GRAPHQL_AUTH_HOOK: url, HASURA_GRAPHQL_AUTH_HOOK_MODE: 'POST' }
    },
    integrationConfig(bridge) {
      const settings: Record<string, unknown> = {
        jwk_url: bridge.jwksUri,
        issuer: bridge.issuer,
        audience,
        claims_format: format,
      }
      if (options.claimsNamespacePath !== undefined)
        settings.claims_namespace_path = options.claimsNamespacePath
      else settings.claims_namespace = options.claimsNamespace ?? HASURA_DEFAULT_NAMESPACE
      return settings
    },
  }
}
