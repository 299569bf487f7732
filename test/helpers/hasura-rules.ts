/**
 * Hasura's documented rules for JWT claims, applied the way graphql-engine reads them
 * (https://hasura.io/docs/latest/auth/authentication/jwt/ and docs/providers.md): find the claims by
 * namespace or JSONPath, decode the format, then check the mandatory session variables.
 */
export type HasuraJwtSettings = {
  claims_namespace?: string
  claims_namespace_path?: string
  claims_format?: 'json' | 'stringified_json'
}

export function hasuraSession(
  payload: Record<string, unknown>,
  settings: HasuraJwtSettings,
  requestedRole?: string,
) {
  let located: unknown
  if (settings.claims_namespace_path !== undefined) {
    located = payload
    for (const part of settings.claims_namespace_path.split('.').slice(1)) {
      located = (located as Record<string, unknown> | undefined)?.[part]
    }
  } else {
    located = payload[settings.claims_namespace ?? 'https://hasura.io/jwt/claims']
  }
  if (settings.claims_format === 'stringified_json') {
    if (typeof located !== 'string') throw new Error('claims are not a string (stringified_json)')
    located = JSON.parse(located)
  }
  if (located === null || typeof located !== 'object' || Array.isArray(located))
    throw new Error('claims not found')
  // Claim names are case-insensitive.
  const claims = Object.fromEntries(Object.entries(located).map(([k, v]) => [k.toLowerCase(), v]))
  const allowed = claims['x-hasura-allowed-roles']
  if (
    !Array.isArray(allowed) ||
    allowed.length === 0 ||
    !allowed.every((r) => typeof r === 'string')
  ) {
    throw new Error('x-hasura-allowed-roles must be a non-empty array of strings')
  }
  const defaultRole = claims['x-hasura-default-role']
  if (typeof defaultRole !== 'string') throw new Error('x-hasura-default-role must be a string')
  if (!allowed.includes(defaultRole))
    throw new Error('the default role must be one of the allowed roles')
  for (const [name, value] of Object.entries(claims)) {
    if (
      name.startsWith('x-hasura-') &&
      name !== 'x-hasura-allowed-roles' &&
      typeof value !== 'string'
    ) {
      throw new Error(`${name} must be a string`)
    }
  }
  const role = requestedRole?.toLowerCase() ?? defaultRole
  if (!allowed.includes(role)) throw new Error('the requested role is not allowed')
  const variables = Object.fromEntries(
    Object.entries(claims).filter(
      ([k]) => k.startsWith('x-hasura-') && k !== 'x-hasura-allowed-roles',
    ),
  )
  return { role, variables }
}
