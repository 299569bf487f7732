import type { Clock } from '../clock'
import { AppError } from '../errors/app-error'
import { storeCall } from '../store/store-call'
import type { Store } from '../store/types'

export type Budget = { key: string; capacity: number; windowMs: number }

/**
 * Takes one token from every budget (per user and per address, SECURITY.md, "Rate limits") and answers 429
 * with the longest Retry-After when any is empty. A store that can't be reached answers 503.
 */
export async function enforceBudgets(
  store: Store,
  clock: Clock,
  budgets: Budget[],
  reason: string,
  detail?: string,
): Promise<void> {
  const now = clock.now()
  const results = await storeCall(() =>
    Promise.all(budgets.map((b) => store.limits.take(b.key, b.capacity, b.windowMs, now))),
  )
  const refused = results.map((r, i) => ({ r, budget: budgets[i] })).filter(({ r }) => !r.allowed)
  if (refused.length === 0) return
  const wait = Math.max(...refused.map(({ r }) => r.retryAfterMs))
  throw new AppError('rate_limited', {
    detail,
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) },
    reason: `${reason}:${refused.map(({ budget }) => budget?.key.split(':')[0]).join(',')}`,
  })
}
