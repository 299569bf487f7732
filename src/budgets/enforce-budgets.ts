import type { Clock } from '../clock'
import { AppError } from '../errors/app-error'
import { storeCall } from '../store/store-call'
import type { Logger } from '../observability/logger'
import type { BucketResult, Store } from '../store/types'

export type Budget = { key: string; capacity: number; windowMs: number }

export type BudgetOptions = {
  detail?: string
  /**
   * When the store can't be reached: refuse with 503 (the default), or let the request through
   * unmetered and log it. Minting and data access choose the latter, so that an upstream-JWT
   * caller keeps working through a store outage (their credential is still fully verified).
   */
  whenStoreDown?: { failOpen: true; log: Logger }
}

/**
 * Takes one token from every budget (per user and per address, SECURITY.md, "Rate limits") and
 * answers 429 with the longest Retry-After when any is empty.
 */
export async function enforceBudgets(
  store: Store,
  clock: Clock,
  budgets: Budget[],
  reason: string,
  options: BudgetOptions = {},
): Promise<void> {
  const now = clock.now()
  const detail = options.detail
  let results: BucketResult[]
  try {
    results = await storeCall(() =>
      Promise.all(budgets.map((b) => store.limits.take(b.key, b.capacity, b.windowMs, now))),
    )
  } catch (error) {
    const down = options.whenStoreDown
    if (!down || !(error instanceof AppError) || error.code !== 'store_unavailable') throw error
    down.log.warn('budget.unmetered', { reason, cause: 'store unavailable' })
    return
  }
  const refused = results.map((r, i) => ({ r, budget: budgets[i] })).filter(({ r }) => !r.allowed)
  if (refused.length === 0) return
  const wait = Math.max(...refused.map(({ r }) => r.retryAfterMs))
  throw new AppError('rate_limited', {
    detail,
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) },
    reason: `${reason}:${refused.map(({ budget }) => budget?.key.split(':')[0]).join(',')}`,
  })
}
