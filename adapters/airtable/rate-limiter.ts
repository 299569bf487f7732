import { AppError } from '../../src/errors/app-error'
import type { Store } from '../../src/store/types'

/** Airtable: 5 requests per second per base; after a 429, wait 30 seconds (docs/providers.md, Airtable). */
const AIRTABLE_REQUESTS_PER_SECOND = 5
const AIRTABLE_BACKOFF_MS = 30_000

/**
 * One request budget per base (requests spaced evenly), kept in the bridge's store so every instance sharing the store
 * shares it. A request waits for a token up to `maxWaitMs`, then answers 503 with Retry-After.
 * Real time on purpose: the budget is Airtable's, measured by the wall clock.
 */
export function airtableLimiter(options: {
  store: Store
  baseId: string
  maxWaitMs: number
  perSecond?: number
  now?: () => number
  /** Called once per request that had to wait for the budget (metrics). */
  onWait?: () => void
}) {
  const perSecond = options.perSecond ?? AIRTABLE_REQUESTS_PER_SECOND
  const now = options.now ?? Date.now
  const bucket = `airtable:${options.baseId}`
  const cooldown = `airtable-cooldown:${options.baseId}`
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const unavailable = (ms: number) =>
    new AppError('backend_unavailable', {
      detail: 'The backend is busy; retry later.',
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))) },
      reason: 'airtable_rate_budget',
    })

  return {
    async acquire(): Promise<void> {
      const deadline = now() + options.maxWaitMs
      let waited = false
      const wait = async (ms: number) => {
        if (!waited) options.onWait?.()
        waited = true
        await sleep(ms)
      }
      for (;;) {
        const until = Number((await options.store.kv.get(cooldown)) ?? '0')
        if (until > now()) {
          if (until > deadline) throw unavailable(until - now())
          await wait(until - now())
          continue
        }
        // One token at a time, spaced a quarter wider than 1/perSecond: no burst, and delays of up
        // to 250 ms between the grant and Airtable can't put a sixth request into one second there.
        const taken = await options.store.limits.take(bucket, 1, Math.ceil(1250 / perSecond), now())
        if (taken.allowed) return
        if (now() + taken.retryAfterMs > deadline) throw unavailable(taken.retryAfterMs)
        await wait(taken.retryAfterMs)
      }
    },
    /** Airtable said 429: every instance backs off for 30 s. */
    async backOff(): Promise<void> {
      const current = await options.store.kv.get(cooldown)
      await options.store.kv.compareAndSet(cooldown, current, String(now() + AIRTABLE_BACKOFF_MS))
    },
  }
}
