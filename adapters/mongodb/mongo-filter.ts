import { storedValue } from '../../src/data/adapter-kit'
import type { Condition, FieldSpec, SortKey } from '../../src/data/types'
import { AppError } from '../../src/errors/app-error'

type Filter = Record<string, unknown>

/** Field names reach MongoDB only from resource declarations; this check makes that explicit. */
export function assertSafeKey(key: string): void {
  if (key.startsWith('$') || key.includes('.') || key.includes('\u0000')) {
    throw new AppError('unknown_field', {
      detail: `${key.slice(0, 64)}: operator or dotted keys are not allowed`,
      extensions: { field: key.slice(0, 64) },
    })
  }
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** One normalized condition as a MongoDB filter; `contains` is a regex of the escaped literal. */
function mongoCondition(c: Condition, spec: FieldSpec | undefined): Filter {
  assertSafeKey(c.field)
  const value = Array.isArray(c.value)
    ? c.value.map((v) => storedValue(v, spec))
    : storedValue(c.value, spec)
  switch (c.op) {
    case 'eq':
      // A missing boolean reads as false, as in the other adapters.
      return value === false ? { [c.field]: { $in: [false, null] } } : { [c.field]: { $eq: value } }
    case 'ne':
      return value === false
        ? { [c.field]: { $nin: [false, null] } }
        : { [c.field]: { $ne: value } }
    case 'in':
      return { [c.field]: { $in: value } }
    case 'contains':
      return { [c.field]: { $regex: escapeRegex(String(value)) } }
    default:
      return { [c.field]: { [`$${c.op}`]: value } }
  }
}

export function mongoFilter(conditions: Condition[], fields: Record<string, FieldSpec>): Filter {
  return conditions.length === 0
    ? {}
    : { $and: conditions.map((c) => mongoCondition(c, fields[c.field])) }
}

/**
 * Keyset pagination: the rows strictly after `last` in the order (sort…, _id asc), with MongoDB's
 * ordering of null/missing before any value.
 */
export function afterFilter(sort: SortKey[], last: { values: unknown[]; id: unknown }): Filter {
  const branches: Filter[] = []
  for (let i = 0; i <= sort.length; i++) {
    const equal: Filter[] = sort
      .slice(0, i)
      .map((key, j) => ({ [key.field]: { $eq: last.values[j] ?? null } }))
    if (i === sort.length) {
      branches.push({ $and: [...equal, { _id: { $gt: last.id } }] })
      continue
    }
    const key = sort[i] as SortKey
    const value = last.values[i] ?? null
    let strictlyAfter: Filter | null
    if (key.direction === 'asc') {
      strictlyAfter =
        value === null ? { [key.field]: { $ne: null } } : { [key.field]: { $gt: value } }
    } else {
      strictlyAfter =
        value === null
          ? null
          : { $or: [{ [key.field]: { $lt: value } }, { [key.field]: { $eq: null } }] }
    }
    if (strictlyAfter) branches.push({ $and: [...equal, strictlyAfter] })
  }
  return { $or: branches }
}
