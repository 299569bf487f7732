import { AppError } from '../errors/app-error'
import type { FieldSpec, Scalar } from './types'

const MAX_STRING = 10_000
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$/

/** A 422 that names the field (never echoing the value). */
export function fieldError(
  code:
    | 'unknown_field'
    | 'field_not_readable'
    | 'field_not_writable'
    | 'field_immutable'
    | 'invalid_value'
    | 'operator_not_allowed',
  field: string,
  message: string,
): AppError {
  return new AppError(code, {
    detail: `${field}: ${message}`,
    extensions: { field },
    reason: `${code}:${field}`,
  })
}

/** Checks a JSON value against a field's type. Objects and arrays are never values (no operator injection). */
export function checkValue(field: string, spec: FieldSpec, value: unknown): Scalar {
  if (value === null) {
    if (spec.nullable) return null
    throw fieldError('invalid_value', field, 'may not be null')
  }
  switch (spec.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value
      break
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value
      break
    case 'string':
      if (typeof value === 'string' && value.includes('\u0000'))
        throw fieldError('invalid_value', field, 'may not contain a NUL character')
      if (typeof value === 'string' && value.length <= (spec.maxLength ?? MAX_STRING)) return value
      break
    case 'datetime':
      if (typeof value === 'string' && ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value)))
        return value
      break
  }
  throw fieldError(
    'invalid_value',
    field,
    `must be a ${spec.type}${spec.type === 'string' ? ` of at most ${spec.maxLength ?? MAX_STRING} characters` : ''}`,
  )
}

/** Parses a query-string value by the field's type. */
export function parseQueryValue(field: string, spec: FieldSpec, raw: string): Scalar {
  switch (spec.type) {
    case 'boolean':
      if (raw === 'true' || raw === 'false') return raw === 'true'
      throw fieldError('invalid_value', field, 'must be true or false')
    case 'number': {
      const value = Number(raw)
      if (raw.trim() !== '' && Number.isFinite(value)) return value
      throw fieldError('invalid_value', field, 'must be a number')
    }
    default:
      return checkValue(field, spec, raw)
  }
}
