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

export function problemResponse(error: AppError, requestId: string): Response {
  const headers = new Headers(error.headers)
  headers.set('Content-Type', PROBLEM_CONTENT_TYPE)
  return new Response(JSON.stringify(problemBody(error, requestId)), {
    status: error.status,
    headers,
  })
}
