import { AppError } from '../../src/errors/app-error'

type PrismaLikeError = {
  name?: string
  code?: string
  message?: string
  meta?: Record<string, unknown>
}

/** The constraint's fields, from `meta.target` or a driver adapter's error. */
function constraintFields(meta: Record<string, unknown> | undefined): string[] {
  if (!meta) return []
  if (Array.isArray(meta.target)) return meta.target.map(String)
  const cause = (
    meta.driverAdapterError as { cause?: { constraint?: { fields?: unknown } } } | undefined
  )?.cause
  const fields = cause?.constraint?.fields
  return Array.isArray(fields) ? fields.map((f) => String(f).replace(/^"|"$/g, '')) : []
}

/**
 * The field a refused value belongs to, when the error names one of `fields` (Prisma's
 * `meta.column_name`, `meta.constraint`, `meta.path`, a driver adapter's constraint, or the
 * validation message's "Argument `title` is missing"). Only declared fields are ever named.
 */
function refusedField(e: PrismaLikeError, fields: readonly string[]): string | undefined {
  const meta = e.meta ?? {}
  const listed = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value])
  const candidates: unknown[] = [
    meta.column_name,
    ...listed(meta.constraint),
    ...listed(meta.path),
    ...constraintFields(meta),
    ...[...(e.message ?? '').matchAll(/Argument `(\w+)`|column[ "`']+(\w+)/g)].map(
      (m) => m[1] ?? m[2],
    ),
  ]
  for (const candidate of candidates) {
    const name = typeof candidate === 'string' ? candidate.replace(/^.*\./, '') : undefined
    if (name !== undefined && fields.includes(name)) return name
  }
  return undefined
}

function refusedValue(e: PrismaLikeError, fields: readonly string[], reason: string): AppError {
  const field = refusedField(e, fields)
  return new AppError('invalid_value', {
    detail:
      field === undefined
        ? 'The database refused a value.'
        : `The database refused the value of ${field} (a value it requires is missing or invalid).`,
    ...(field === undefined ? {} : { extensions: { field } }),
    reason,
  })
}

/**
 * Prisma errors as problems: a unique violation is 409 `conflict` with the fields named; a
 * foreign-key or validation error is 422; a database that can't be reached is 503. Messages
 * (which can hold SQL or values) go to the log only.
 */
export function translatePrismaError(error: unknown, fields: readonly string[] = []): AppError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as PrismaLikeError
  const text = `${e.name ?? ''} ${e.code ?? ''} ${e.message ?? ''}`
  switch (e.code) {
    case 'P2002': {
      const fields = constraintFields(e.meta)
      return new AppError('conflict', {
        detail:
          fields.length > 0
            ? `Another row already has these values: ${fields.join(', ')}.`
            : 'Another row already has these values.',
        extensions: { fields },
        reason: 'unique_violation',
      })
    }
    case 'P2003':
      return new AppError('invalid_value', {
        detail: 'A referenced row does not exist.',
        reason: 'foreign_key',
      })
    case 'P2000':
    case 'P2005':
    case 'P2006':
    case 'P2007':
    case 'P2011':
    case 'P2012':
      return refusedValue(e, fields, e.code)
    case 'P2025':
      return new AppError('not_found')
    default:
      break // not a known request error: classified by name and message below
  }
  if (e.name === 'PrismaClientValidationError') return refusedValue(e, fields, 'prisma_validation')
  if (
    e.name === 'PrismaClientInitializationError' ||
    /P1001|P1002|P1017|ECONNREFUSED|ECONNRESET|ETIMEDOUT|DatabaseNotReachable|terminat|Connection|connect|SQLITE_BUSY|closed/i.test(
      text,
    )
  ) {
    return new AppError('backend_unavailable', {
      headers: { 'Retry-After': '1' },
      reason: 'database_unreachable',
      cause: error,
    })
  }
  return new AppError('internal', { cause: error })
}
