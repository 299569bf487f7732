import type { Principal } from '../identity/principal'
import type { Resource } from './resource'
import type { Condition, Operation, Row } from './types'

export type ScopeDecision =
  | { ok: true; where: Condition[] }
  | { ok: false; reason: 'operation_not_allowed' | 'email_not_verified' | 'scope_denied' }

/** The owner condition of a principal, or null when it can't be expressed (no verified email). */
function ownerCondition(resource: Pick<Resource, 'owner'>, principal: Principal): Condition | null {
  if (resource.owner.principal === 'orgId') {
    if (!principal.orgId) return null
    return { field: resource.owner.field, op: 'eq', value: principal.orgId }
  }
  if (resource.owner.principal === 'email') {
    if (!principal.email || !principal.emailVerified) return null
    return { field: resource.owner.field, op: 'eq', value: principal.email }
  }
  return { field: resource.owner.field, op: 'eq', value: principal.userId }
}

/**
 * Deny by default (SECURITY.md, "Data access"): an operation the resource doesn't declare is refused; a
 * declared one yields the conditions that every backend query must include.
 */
export function scopeFor(
  resource: Resource,
  operation: Operation,
  principal: Principal,
): ScopeDecision {
  const rule = resource.operations[operation]
  if (rule === undefined) return { ok: false, reason: 'operation_not_allowed' }
  const owner = ownerCondition(resource, principal)
  if (operation === 'create' && typeof rule === 'function' && rule(principal) === null)
    return { ok: false, reason: 'scope_denied' }
  if (operation === 'create' || rule === 'own') {
    if (!owner)
      return {
        ok: false,
        reason: resource.owner.principal === 'orgId' ? 'scope_denied' : 'email_not_verified',
      }
    return { ok: true, where: operation === 'create' ? [] : [owner] }
  }
  if (rule === 'all') return { ok: true, where: [] }
  if (rule === true) return { ok: false, reason: 'operation_not_allowed' }
  const conditions = rule(principal)
  return conditions === null
    ? { ok: false, reason: 'scope_denied' }
    : { ok: true, where: conditions }
}

/** Evaluates conditions in memory: the defence-in-depth check on every row a backend returns. */
export function rowMatches(row: Row, where: Condition[]): boolean {
  return where.every((condition) => matches(row.fields[condition.field], condition))
}

function matches(actual: unknown, { op, value }: Condition): boolean {
  const normal = (v: unknown) => (v === undefined ? null : v)
  const a = normal(actual)
  switch (op) {
    case 'eq':
      return a === value || (value === false && a === null)
    case 'ne':
      return a !== value && !(value === false && a === null)
    case 'in':
      return Array.isArray(value) && value.some((v) => v === a)
    case 'contains':
      return typeof a === 'string' && typeof value === 'string' && a.includes(value)
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (a === null || value === null || Array.isArray(value) || typeof a !== typeof value)
        return false
      const x = a as string | number | boolean
      if (op === 'lt') return x < value
      if (op === 'lte') return x <= value
      if (op === 'gt') return x > value
      return x >= value
    }
  }
}
