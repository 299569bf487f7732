import type { Logger } from '../log/logger'

/** Who lost sessions, and how. */
export type RevocationEvent = {
  issuer: string
  userId: string
  scope: 'one' | 'all'
  by: 'user' | 'admin'
}

/**
 * Runs after the bridge has revoked sessions (the revocation itself never waits on it), e.g. the
 * Node runtime's Firebase refresh-token revocation. A failure is logged, never shown to the client.
 */
export type RevocationHook = (event: RevocationEvent) => Promise<void>

export async function runRevocationHook(
  hook: RevocationHook | undefined,
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
