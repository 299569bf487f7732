/**
 * Why sessions ended: the user signed out, an admin revoked them, the identity provider said so
 * (a webhook), a replaced secret was replayed (reuse detection), or the user went over the
 * per-user cap and their oldest session was evicted.
 */
export type RevocationCause = 'user' | 'admin' | 'identity_provider' | 'reuse' | 'cap'

/**
 * The causes that run the revocation hook (FIREBASE_REVOKE_ON_SIGNOUT): every revocation that
 * takes access away on purpose, reuse detection included (whoever replayed the secret may have
 * signed in to the provider with it). Not an eviction at the cap: the user just signed in again
 * elsewhere, and revoking their provider sessions would sign out the device they are using.
 */
const HOOK_CAUSES: ReadonlySet<RevocationCause> = new Set([
  'user',
  'admin',
  'identity_provider',
  'reuse',
])

export function runsRevocationHook(cause: RevocationCause): boolean {
  return HOOK_CAUSES.has(cause)
}

/** Who lost sessions, and how. */
export type RevocationEvent = {
  issuer: string
  userId: string
  scope: 'one' | 'all'
  by: RevocationCause
}

/** What a hook may use: a budget in the shared store, so calls to a provider can be limited per user. */
type RevocationContext = {
  /** Takes one unit of the budget `key` (`limit` per `windowMs`); false when it is spent. */
  allow(key: string, limit: number, windowMs: number): Promise<boolean>
}

/**
 * Runs after the bridge has revoked sessions, e.g. the Node runtime's Firebase refresh-token
 * revocation. A failure is logged, never shown to the client, and never undoes the revocation.
 */
export type RevocationHook = (event: RevocationEvent, context: RevocationContext) => Promise<void>
