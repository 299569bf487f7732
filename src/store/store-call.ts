import { AppError } from '../errors/app-error'
import { StoreUnavailableError } from './types'

/**
 * Store failures become 503 `store_unavailable`: fail closed, never 200, never a crash. One
 * rejection handler on the call's own promise (this runs on every request), no extra frame.
 */
export function storeCall<T>(operation: () => Promise<T>): Promise<T> {
  return operation().catch(toStoreProblem)
}

function toStoreProblem(error: unknown): never {
  if (error instanceof StoreUnavailableError) {
    throw new AppError('store_unavailable', {
      reason: 'store unreachable',
      cause: error,
      headers: { 'Retry-After': '1' },
    })
  }
  throw error
}
