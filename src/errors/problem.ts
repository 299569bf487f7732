import type { AppError } from './app-error'

const PROBLEM_CONTENT_TYPE = 'application/problem+json'

type ProblemBody = {
  type: string
  title: string
  status: number
  code: string
  requestId: string
  detail?: string
  [extension: string]: unknown
}

/** Renders an AppError as an RFC 9457 problem body. */
function problemBody(error: AppError, requestId: string): ProblemBody {
  const body: ProblemBody = {
    ...error.extensions,
    type: `urn:bridgekeeper:problem:${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
    requestId,
  }
  if (error.detail !== undefined && error.detail !== error.title) body.detail = error.detail
  return body
}

/**
 * The problem response. With `withReason` (development mode only), a 401 or 403 also says why
 * (`reason`: `jwt_claim_mismatch`, `session_unknown_or_expired`, …), so a developer sees what to
 * fix; in production the body stays terse and the reason goes to the log only.
 */
export function problemResponse(error: AppError, requestId: string, withReason = false): Response {
  const headers = new Headers(error.headers)
  headers.set('Content-Type', PROBLEM_CONTENT_TYPE)
  const body = problemBody(error, requestId)
  if (withReason && (error.status === 401 || error.status === 403) && error.reason !== undefined)
    body.reason = error.reason
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers,
  })
}
