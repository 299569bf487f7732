import type { IssuerConfig } from '../config/env-schema'

/** Sessions a trusted backend creates for users it verified itself live under this prefix. */
const ADMIN_PREFIX = 'admin:'
/** The development issuer's prefix when an unprefixed upstream issuer is configured beside it. */
const DEV_PREFIX = 'dev:'

/** One issuer's user-id space: the stable user id is `prefix + sub`. */
export type Namespace = { issuer: string; prefix: string; reserved: readonly string[] }

export type UserNamespaces = {
  problems: string[]
  /** The namespace of an issuer the bridge accepts users from, if any. */
  of(issuer: string): Namespace | undefined
  /** The namespace of sessions made with the admin API key (the bridge itself). */
  admin: Namespace
  /** Every namespace, the admin one included. */
  all: readonly Namespace[]
}

/**
 * Users are identified by (issuer, subject); the stable user id that rows, Hasura's
 * `x-hasura-user-id` and Firebase's `uid` carry is the subject under the issuer's prefix, so no
 * two issuers can produce the same id:
 * - an upstream issuer's prefix is its `userIdPrefix` (none by default, so a single identity
 *   provider keeps its own ids);
 * - at most one issuer goes without a prefix, and its subjects that begin with another
 *   namespace's prefix are refused;
 * - prefixes must not be prefixes of each other;
 * - admin-created sessions use `admin:`, and the development issuer `dev:` when an unprefixed
 *   upstream issuer is configured (none otherwise).
 */
export function userNamespaces(input: {
  upstream: IssuerConfig[]
  /** The development issuer, in development mode. */
  devIssuer: string | undefined
  /** The bridge itself: the issuer of admin-created sessions. */
  bridgeIssuer: string
}): UserNamespaces {
  const problems: string[] = []
  const unprefixed = input.upstream.filter((i) => !i.userIdPrefix)
  if (unprefixed.length > 1)
    problems.push(
      'UPSTREAM_ISSUERS: at most one issuer may go without a userIdPrefix (user ids must be unique across issuers)',
    )
  const entries: { issuer: string; prefix: string }[] = [
    ...input.upstream.map((i) => ({ issuer: i.issuer, prefix: i.userIdPrefix ?? '' })),
    ...(input.devIssuer
      ? [{ issuer: input.devIssuer, prefix: unprefixed.length > 0 ? DEV_PREFIX : '' }]
      : []),
    { issuer: input.bridgeIssuer, prefix: ADMIN_PREFIX },
  ]
  const prefixes = entries.map((e) => e.prefix).filter((p) => p !== '')
  for (const [i, a] of prefixes.entries()) {
    for (const b of prefixes.slice(i + 1)) {
      if (a.startsWith(b) || b.startsWith(a))
        problems.push(
          `UPSTREAM_ISSUERS: the userIdPrefix "${a}" overlaps "${b}" (prefixes are reserved: ${ADMIN_PREFIX} for admin-created sessions, ${DEV_PREFIX} for the development issuer)`,
        )
    }
  }
  const namespaces = new Map<string, Namespace>(
    entries.map((e) => [
      e.issuer,
      { issuer: e.issuer, prefix: e.prefix, reserved: e.prefix === '' ? prefixes : [] },
    ]),
  )
  const admin = namespaces.get(input.bridgeIssuer) ?? {
    issuer: input.bridgeIssuer,
    prefix: ADMIN_PREFIX,
    reserved: [],
  }
  return { problems, of: (issuer) => namespaces.get(issuer), admin, all: [...namespaces.values()] }
}

/**
 * The stable id of a subject (or of an organization: org ids are namespaced the same way), or
 * null when it would reach into another namespace.
 */
export function stableUserId(namespace: Namespace, subject: string): string | null {
  if (namespace.reserved.some((prefix) => subject.startsWith(prefix))) return null
  return `${namespace.prefix}${subject}`
}
