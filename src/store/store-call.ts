import { AppError } from '../errors/app-error'
import { StoreUnavailableError } from './types'

/** Store failures become 503 `store_unavailable`: fail closed, never 200, never a crash. */
export async function storeCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      throw new AppError('store_unavailable', {
        reason: 'store unreachable',
        cause: error,
        headers: { 'Retry-After': '1' },
      })
    }
    throw error
  }
}
