import type { Clock } from '../clock'
import type { Logger } from '../log/logger'
import type { Store } from '../store/types'

/** Who lost sessions, and how. */
export type RevocationEvent = {
  issuer: string
  userId: string
  scope: 'one' | 'all'
  /** The user, a backend with the admin key, or the identity provider's webhook. */
  by: 'user' | 'admin' | 'identity_provider'
}

/** What a hook may use: a budget in the shared store, so calls to a provider can be limited per user. */
type RevocationContext = {
  /** Takes one unit of the budget `key` (`limit` per `windowMs`); false when it is spent. */
  allow(key: string, limit: number, windowMs: number): Promise<boolean>
}

/**
 * Runs after the bridge has revoked sessions (the revocation itself never waits on it), e.g. the
 * Node runtime's Firebase refresh-token revocation. A failure is logged, never shown to the client.
 */
export type RevocationHook = (event: RevocationEvent, context: RevocationContext) => Promise<void>

/** A hook with its context bound, as the routes call it. */
export type BoundRevocationHook = (event: RevocationEvent) => Promise<void>

export function bindRevocationHook(
  hook: RevocationHook | undefined,
  deps: { store: Store; clock: Clock },
): BoundRevocationHook | undefined {
  if (!hook) return undefined
  const context: RevocationContext = {
    allow: async (key, limit, windowMs) =>
      (await deps.store.limits.take(`revoke-hook:${key}`, limit, windowMs, deps.clock.now()))
        .allowed,
  }
  return (event) => hook(event, context)
}

export async function runRevocationHook(
  hook: BoundRevocationHook | undefined,
  event: RevocationEvent,
  log: Logger,
): Promise<void> {
  if (!hook) return
  try {
    await hook(event)
  } catch (error) {
    log.error('session.revocation_hook_failed', { userId: event.userId, scope: event.scope, error })
  }
}
