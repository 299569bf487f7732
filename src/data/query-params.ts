import { AppError } from '../errors/app-error'
import type { Resource } from './resource'
import { OPERATORS, type Condition, type Operator, type SortKey } from './types'
import { fieldError, parseQueryValue } from './values'

export type ListParams = {
  filters: Condition[]
  sort: SortKey[]
  limit: number
  cursor: string | undefined
  fields: string[]
}

const FILTER = /^filter\[([^\]]+)\](?:\[([^\]]*)\])?$/
const DEFAULT_LIMIT = 20

/**
 * `filter[Field]=v`, `filter[Field][op]=v` (repeat `in`), `sort=a,-b`, `limit`, `cursor`, `fields=a,b`.
 * Only allow-listed fields and operators pass; values are typed by the field.
 */
export function parseListParams(resource: Resource, params: URLSearchParams): ListParams {
  const filters: Condition[] = []
  const inValues = new Map<string, string[]>()
  let sort = resource.defaultSort
  let limit = Math.min(DEFAULT_LIMIT, resource.maxPageSize)
  let cursor: string | undefined
  let fields = resource.readable

  for (const [key, raw] of params) {
    const filter = FILTER.exec(key)
    if (filter) {
      const field = filter[1] ?? ''
      const op = (filter[2] ?? 'eq') as Operator
      const spec = resource.fields[field]
      if (!spec) throw fieldError('unknown_field', field, 'no such field')
      if (!resource.filterable.includes(field))
        throw fieldError('field_not_readable', field, 'cannot be filtered on')
      if (!(OPERATORS as readonly string[]).includes(op) || !resource.operators.includes(op)) {
        throw fieldError('operator_not_allowed', field, `operator "${op}" is not allowed`)
      }
      if (op === 'in') {
        inValues.set(field, [...(inValues.get(field) ?? []), raw])
        continue
      }
      if (op === 'contains' && spec.type !== 'string')
        throw fieldError('operator_not_allowed', field, 'contains works on text only')
      filters.push({ field, op, value: parseQueryValue(field, spec, raw) })
      continue
    }
    switch (key) {
      case 'sort':
        sort = raw
          .split(',')
          .filter(Boolean)
          .map((part) => {
            const field = part.replace(/^-/, '')
            if (!resource.fields[field]) throw fieldError('unknown_field', field, 'no such field')
            if (!resource.sortable.includes(field))
              throw fieldError('field_not_readable', field, 'cannot be sorted on')
            const key: SortKey = { field, direction: part.startsWith('-') ? 'desc' : 'asc' }
            return key
          })
        break
      case 'limit': {
        const value = Number(raw)
        if (!Number.isInteger(value) || value < 1 || value > resource.maxPageSize) {
          throw fieldError(
            'invalid_value',
            'limit',
            `must be an integer from 1 to ${resource.maxPageSize}`,
          )
        }
        limit = value
        break
      }
      case 'cursor':
        cursor = raw
        break
      case 'fields':
        fields = raw.split(',').filter(Boolean)
        for (const field of fields) {
          if (!resource.fields[field]) throw fieldError('unknown_field', field, 'no such field')
          if (!resource.readable.includes(field))
            throw fieldError('field_not_readable', field, 'cannot be read')
        }
        break
      default:
        throw new AppError('validation_failed', {
          detail: `Unknown query parameter "${key.slice(0, 64)}".`,
        })
    }
  }
  for (const [field, values] of inValues) {
    const spec = resource.fields[field]
    if (!spec) continue
    if (values.length > 100) throw fieldError('invalid_value', field, 'at most 100 values')
    filters.push({ field, op: 'in', value: values.map((v) => parseQueryValue(field, spec, v)) })
  }
  return { filters, sort, limit, cursor, fields }
}
