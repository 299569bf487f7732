import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from './app-env'
import { AppError } from '../errors/app-error'
import { problemResponse } from '../errors/problem'
import { newId } from '../ids/prefixed-id'

/**
 * The one place errors become responses: `application/problem+json` with a stable code; in
 * development, 401 and 403 bodies also carry the failure's reason.
 */
export const errorHandler =
  (options: { revealReasons: boolean }): ErrorHandler<AppEnv> =>
  (error, c) => {
    const appError = toAppError(error)
    const log = c.get('log')
    const fields = { code: appError.code, status: appError.status, reason: appError.reason }
    if (appError.code === 'store_unavailable') {
      // One line per refused request, without a stack: the outage itself is logged once, when it
      // starts and ends (store/outage-watch.ts).
      log?.warn('http.store_unavailable', fields)
    } else if (appError.status >= 500) {
      log?.error('http.error', { ...fields, error: describe(error) })
    } else {
      log?.warn('http.refused', fields)
    }
    return problemResponse(appError, requestIdOf(c), options.revealReasons)
  }

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(
    new AppError('not_found', { detail: 'No route matches this path.' }),
    requestIdOf(c),
  )

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof HTTPException) {
    if (error.status === 400 && /json/i.test(error.message))
      return new AppError('malformed_json', { reason: error.message })
    if (error.status === 413) return new AppError('payload_too_large')
    if (error.status === 401) return new AppError('unauthorized')
    if (error.status === 404) return new AppError('not_found')
    if (error.status < 500) return new AppError('bad_request', { reason: error.message })
  }
  return new AppError('internal', { cause: error })
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof AppError && error.cause !== undefined) return describe(error.cause)
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack }
  return { value: String(error) }
}

function requestIdOf(c: Context<AppEnv>): string {
  return c.get('requestId') ?? newId('req')
}
