import type { Principal } from '../identity/principal'

/**
 * Claim values computed from the principal, in the manner of Clerk's JWT-template shortcodes:
 * a string that is exactly `{{user.id}}` becomes the value itself (arrays stay arrays), a string
 * with shortcodes inside becomes text, and `{{user.email || 'unknown'}}` falls back when the value
 * is missing. A function is called with the principal. Anything else is a static value.
 */
export type ClaimSpec =
  | string
  | number
  | boolean
  | null
  | ClaimSpec[]
  | { [name: string]: ClaimSpec }
  | ((principal: Principal) => unknown)

const WHOLE = /^\{\{\s*([^}]+?)\s*\}\}$/
const ANY = /\{\{\s*([^}]+?)\s*\}\}/g
const PATH = /^[a-z_]+(\.[A-Za-z0-9_:/.-]+)?$/
const QUOTED = /^'([^']*)'$|^"([^"]*)"$/

/** The values a shortcode can name. */
function shortcodeScope(principal: Principal): Record<string, unknown> {
  return {
    'user.id': principal.userId,
    // An unverified address is not an identity: it never reaches a token as the user's email.
    'user.email': principal.emailVerified ? principal.email : undefined,
    'user.email_verified': principal.emailVerified,
    'user.roles': principal.roles,
    'user.issuer': principal.issuer,
    'org.id': principal.orgId,
    'org.role': principal.orgRole,
    'session.id': principal.sessionId,
  }
}

function lookup(expression: string, principal: Principal, scope: Record<string, unknown>): unknown {
  for (const alternative of expression.split('||').map((part) => part.trim())) {
    const literal = QUOTED.exec(alternative)
    if (literal) return literal[1] ?? literal[2]
    if (/^-?\d+(\.\d+)?$/.test(alternative)) return Number(alternative)
    if (alternative === 'true' || alternative === 'false') return alternative === 'true'
    const value = alternative.startsWith('claims.')
      ? principal.claims[alternative.slice('claims.'.length)]
      : scope[alternative]
    if (value !== undefined && value !== null && value !== '') return value
  }
  return undefined
}

/** Every problem with a claim spec's shortcodes, found at start-up. */
export function shortcodeProblems(spec: ClaimSpec, at = 'claims'): string[] {
  if (typeof spec === 'string') {
    const problems: string[] = []
    for (const match of spec.matchAll(ANY)) {
      for (const alternative of (match[1] ?? '').split('||').map((p) => p.trim())) {
        if (
          QUOTED.test(alternative) ||
          /^-?\d+(\.\d+)?$/.test(alternative) ||
          alternative === 'true' ||
          alternative === 'false'
        )
          continue
        const known =
          alternative.startsWith('claims.') ||
          alternative in shortcodeScope({ claims: {} } as unknown as Principal)
        if (!known || !PATH.test(alternative))
          problems.push(`${at}: unknown shortcode {{${alternative}}}`)
      }
    }
    return problems
  }
  if (Array.isArray(spec)) return spec.flatMap((item, i) => shortcodeProblems(item, `${at}[${i}]`))
  if (spec !== null && typeof spec === 'object') {
    return Object.entries(spec).flatMap(([key, value]) => shortcodeProblems(value, `${at}.${key}`))
  }
  return []
}

/** Renders a spec for one principal. Claims whose value is missing are left out. */
export function renderClaims(spec: ClaimSpec, principal: Principal): unknown {
  const scope = shortcodeScope(principal)
  const render = (value: ClaimSpec): unknown => {
    if (typeof value === 'function') return value(principal)
    if (typeof value === 'string') {
      const whole = WHOLE.exec(value)
      if (whole) return lookup(whole[1] ?? '', principal, scope)
      return value.replace(ANY, (_, expression: string) => {
        const found = lookup(expression, principal, scope)
        return found === undefined
          ? ''
          : Array.isArray(found)
            ? found.join(',')
            : typeof found === 'string'
              ? found
              : JSON.stringify(found)
      })
    }
    if (Array.isArray(value)) return value.map(render).filter((item) => item !== undefined)
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) {
        const rendered = render(item)
        if (rendered !== undefined) out[key] = rendered
      }
      return out
    }
    return value
  }
  return render(spec)
}
