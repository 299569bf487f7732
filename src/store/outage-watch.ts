import type { Clock } from '../clock'
import type { Logger } from '../observability/logger'
import { StoreUnavailableError, type Store } from './types'

/** While the store stays down, one reminder line a minute at most. */
const REMIND_EVERY_MS = 60_000

/**
 * The same store, watched for outages: the first unreachable call logs `store.outage_started`,
 * a call that works again logs `store.outage_ended` (how long, how many calls failed), and in
 * between at most one `store.outage_continues` a minute. Requests refused meanwhile get a `warn`
 * line each, without a stack (http/error-handler.ts), so an outage can't flood the log.
 */
export function outageWatchedStore(store: Store, logger: Logger, clock: Clock): Store {
  let since: number | undefined
  let reminded = 0
  let failures = 0

  function failed(error: StoreUnavailableError): void {
    const now = clock.now()
    failures++
    const cause = error.cause instanceof Error ? error.cause.message : error.message
    if (since === undefined) {
      since = reminded = now
      logger.error('store.outage_started', { store: store.kind, error: cause })
    } else if (now - reminded >= REMIND_EVERY_MS) {
      reminded = now
      logger.error('store.outage_continues', {
        store: store.kind,
        seconds: Math.round((now - since) / 1000),
        failedCalls: failures,
        error: cause,
      })
    }
  }

  function recovered(): void {
    if (since === undefined) return
    logger.warn('store.outage_ended', {
      store: store.kind,
      seconds: Math.round((clock.now() - since) / 1000),
      failedCalls: failures,
    })
    since = undefined
    failures = 0
  }

  function watched<T extends object>(target: T): T {
    const out = {} as Record<string, unknown>
    for (const name of Object.keys(target)) {
      const method = (target as Record<string, unknown>)[name]
      if (typeof method !== 'function') continue
      out[name] = (...args: unknown[]) =>
        (method as (...a: unknown[]) => Promise<unknown>).apply(target, args).then(
          (result) => {
            if (since !== undefined) recovered()
            return result
          },
          (error: unknown) => {
            if (error instanceof StoreUnavailableError) failed(error)
            throw error
          },
        )
    }
    return out as T
  }

  return {
    kind: store.kind,
    ping: () => store.ping(),
    close: () => store.close(),
    sessions: watched(store.sessions),
    limits: watched(store.limits),
    kv: watched(store.kv),
    notBefore: watched(store.notBefore),
  }
}
