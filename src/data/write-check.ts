import type { Principal } from '../identity/principal'
import { AppError } from '../errors/app-error'
import type { Resource } from './resource'
import type { Scalar } from './types'
import { checkValue, fieldError } from './values'

const MAX_FIELDS = 200

/**
 * Turns a client body into the values to write (SECURITY.md, "Data access"): only known, writable fields,
 * scalar values of the right type, no owner or system field, presets forced on create.
 */
export function valuesForWrite(
  resource: Resource,
  body: unknown,
  mode: 'create' | 'update',
  principal: Principal,
): Record<string, Scalar> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('validation_failed', { detail: 'The body must be a JSON object of fields.' })
  }
  const entries = Object.entries(body)
  if (entries.length > MAX_FIELDS)
    throw new AppError('validation_failed', { detail: 'Too many fields.' })
  if (mode === 'update' && entries.length === 0)
    throw new AppError('validation_failed', { detail: 'Nothing to update.' })
  const allowed = new Set(
    mode === 'create' ? [...resource.writable, ...resource.writableOnCreate] : resource.writable,
  )
  const values: Record<string, Scalar> = {}
  for (const [field, value] of entries) {
    const spec = Object.hasOwn(resource.fields, field) ? resource.fields[field] : undefined
    if (!spec) throw fieldError('unknown_field', field.slice(0, 64), 'no such field')
    if (mode === 'update' && resource.immutable.includes(field))
      throw fieldError('field_immutable', field, 'cannot change after create')
    if (!allowed.has(field)) throw fieldError('field_not_writable', field, 'is not writable')
    values[field] = checkValue(field, spec, value)
  }
  if (mode === 'create') {
    for (const [field, preset] of Object.entries(resource.presets))
      values[field] = preset(principal)
  }
  return values
}
