import { AppError } from '../errors/app-error'
import type { Principal } from '../identity/principal'
import { rowMatches, scopeFor } from './policy'
import type { Resource } from './resource'
import type { Condition, Row } from './types'

export type Permissions = {
  resource: string
  id: string | null
  operations: Record<'list' | 'get' | 'create' | 'update' | 'delete', boolean>
  fields: { readable: string[]; creatable: string[]; updatable: string[] }
}

/**
 * "Can I?": which operations the policy allows `principal`, on the resource or on one row, and
 * which fields it may read and write, decided by the same code that enforces them (policy.ts).
 * Permissions are questions, not attempts: no denial is counted or audited. For a row, `row`
 * reads it within the `get` scope; a row the caller can't read answers 404, as `get` does.
 */
export async function permissionsOf(
  resource: Resource,
  principal: Principal,
  id: string | undefined,
  row: ((where: Condition[]) => Promise<Row | null>) | undefined,
): Promise<Permissions> {
  const decide = (operation: 'list' | 'get' | 'create' | 'update' | 'delete') =>
    scopeFor(resource, operation, principal)
  const decisions = {
    list: decide('list'),
    get: decide('get'),
    create: decide('create'),
    update: decide('update'),
    delete: decide('delete'),
  }
  let update = decisions.update.ok
  let remove = decisions.delete.ok
  if (id !== undefined && row) {
    const get = decisions.get
    if (!get.ok) throw new AppError('not_found', { reason: 'row_not_in_scope' })
    const found = await row(get.where)
    if (!found) throw new AppError('not_found', { reason: 'row_not_in_scope' })
    update = decisions.update.ok && rowMatches(found, decisions.update.where)
    remove = decisions.delete.ok && rowMatches(found, decisions.delete.where)
  }
  const create = id === undefined && decisions.create.ok
  return {
    resource: resource.name,
    id: id ?? null,
    operations: {
      list: id === undefined && decisions.list.ok,
      get: decisions.get.ok,
      create,
      update,
      delete: remove,
    },
    fields: {
      readable: decisions.get.ok || decisions.list.ok ? resource.readable : [],
      creatable: create ? [...resource.writable, ...resource.writableOnCreate] : [],
      updatable: update ? resource.writable : [],
    },
  }
}
