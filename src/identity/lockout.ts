import type { Clock } from '../clock'
import { AppError } from '../errors/app-error'
import { newId } from '../ids/prefixed-id'
import type { Logger } from '../observability/logger'
import type { Store } from '../store/types'
import type { LockoutProbe } from './verifier'

/**
 * Guessing detection (SECURITY.md, "Guessing detection"): failed authentications are counted per client address in
 * a sliding window; past the limit the address gets 429 until the window slides.
 * The counter lives in the store, so instances sharing it share the count. If the store is
 * down the counter is skipped (logged): upstream-JWT sign-ins must keep working then.
 */
export function createLockout(deps: {
  store: Store
  clock: Clock
  limit: number
  windowSeconds: number
}) {
  const windowMs = deps.windowSeconds * 1000
  const key = (ip: string) => `authfail:${ip}`

  /** 429 for an address whose failures reached the limit. */
  function verdict(count: number): void {
    if (count >= deps.limit) {
      throw new AppError('rate_limited', {
        detail: 'Too many failed sign-in attempts from this address.',
        headers: { 'Retry-After': String(deps.windowSeconds) },
        reason: 'auth_lockout',
      })
    }
  }

  return {
    async check(ip: string, log: Logger): Promise<void> {
      let count: number
      try {
        count = await deps.store.limits.peek(key(ip), windowMs, deps.clock.now())
      } catch (error) {
        log.warn('security.lockout_unchecked', { reason: 'store unavailable', error })
        return
      }
      verdict(count)
    },

    /** The address's counter, for a verifier that reads it with its own store call. */
    probe: (ip: string): LockoutProbe => ({ key: key(ip), windowMs }),

    /** The answer of `check` for a count read elsewhere (a probe's). */
    verdict,

    /** Counts a failure; with `once`, only the first failure of that key in the window counts. */
    async recordFailure(ip: string, reason: string, log: Logger, once?: string): Promise<void> {
      log.warn('security.auth_failed', { eventId: newId('evt'), reason, ip })
      try {
        if (
          once !== undefined &&
          (await deps.store.limits.hit(`authfail-once:${once}`, windowMs, deps.clock.now())) > 1
        )
          return
        const count = await deps.store.limits.hit(key(ip), windowMs, deps.clock.now())
        if (count === deps.limit) {
          log.warn('security.auth_lockout', {
            eventId: newId('evt'),
            ip,
            failures: count,
            windowSeconds: deps.windowSeconds,
          })
        }
      } catch (error) {
        log.warn('security.lockout_unrecorded', { reason: 'store unavailable', error })
      }
    },
  }
}

export type Lockout = ReturnType<typeof createLockout>
