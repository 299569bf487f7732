import { problemCatalogue, type ProblemCode } from './catalogue'

export type AppErrorOptions = {
  /** Human-readable explanation safe to show the client. Never put a token or secret here. */
  detail?: string
  /** Extra members of the problem body (e.g. `fields`), safe to show the client. */
  extensions?: Record<string, unknown>
  /** Response headers such as `Retry-After`, `Allow` or `WWW-Authenticate`. */
  headers?: Record<string, string>
  /** Why it happened, for the log only. */
  reason?: string
  cause?: unknown
}

/**
 * The one error type routes throw. `onError` renders it as `application/problem+json`.
 * Status and title come from the catalogue so a code always means the same thing.
 */
export class AppError extends Error {
  readonly code: ProblemCode
  readonly status: number
  readonly title: string
  readonly detail: string | undefined
  readonly extensions: Record<string, unknown>
  readonly headers: Record<string, string>
  readonly reason: string | undefined

  constructor(code: ProblemCode, options: AppErrorOptions = {}) {
    const entry = problemCatalogue[code]
    super(options.detail ?? entry.title, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = entry.status
    this.title = entry.title
    this.detail = options.detail
    this.extensions = options.extensions ?? {}
    this.headers = options.headers ?? {}
    this.reason = options.reason
  }
}

/** RFC 6750 §3: every 401 from a bearer-protected resource carries a challenge. */
export function bearerChallenge(error?: 'invalid_token' | 'invalid_request'): string {
  return error ? `Bearer realm="bridgekeeper", error="${error}"` : 'Bearer realm="bridgekeeper"'
}

/** The single generic authentication failure: the same body whatever went wrong (SECURITY.md, "Logs and errors"). */
export function invalidCredentials(reason: string, headers: Record<string, string> = {}): AppError {
  return new AppError('invalid_token', {
    reason,
    headers: { ...headers, 'WWW-Authenticate': bearerChallenge('invalid_token') },
  })
}
