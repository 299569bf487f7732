import { enforceBudgets } from '../budgets/enforce-budgets'
import type { Clock } from '../clock'
import { AppError } from '../errors/app-error'
import { userKey, type Principal } from '../identity/principal'
import type { AuditEventName } from '../audit/audit-trail'
import type { Logger } from '../log/logger'
import type { Metrics } from '../log/metrics'
import type { Store } from '../store/types'
import type { CursorCodec } from './cursor'
import { rowMatches, scopeFor } from './policy'
import { parseListParams } from './query-params'
import type { Resource } from './resource'
import { PartialCreateError, type Condition, type Operation, type Row } from './types'
import { valuesForWrite } from './write-check'

export type RecordView = { id: string; fields: Record<string, unknown> }
export type Permissions = {
  resource: string
  id: string | null
  operations: Record<'list' | 'get' | 'create' | 'update' | 'delete', boolean>
  fields: { readable: string[]; creatable: string[]; updatable: string[] }
}
const MAX_BATCH = 100

/**
 * Runs one data request through the policy: scope, validation, the adapter call with the scope
 * in it, then a second check of every returned row and a projection onto readable fields.
 */
export function dataService(
  resource: Resource,
  principal: Principal,
  log: Logger,
  deps: {
    cursors: CursorCodec
    store: Store
    clock: Clock
    metrics: Metrics
    /** Records an audit event of this request (writes, refusals). */
    audit: (event: AuditEventName, fields: Record<string, unknown>) => void
  },
) {
  const adapter = resource.adapter
  const { cursors } = deps

  /** The caller's share of a backend budget all users share (see DataAdapter.capabilities). */
  async function takeShare() {
    const share = adapter.capabilities.fairShare
    if (!share) return
    await enforceBudgets(
      deps.store,
      deps.clock,
      [
        {
          key: `share:${share.budget}:${userKey(principal)}`,
          capacity: share.perUserPerSecond,
          windowMs: 1000,
        },
      ],
      'backend_share',
      {
        detail: 'You are using more than your share of this backend; retry shortly.',
        whenStoreDown: { failOpen: true, log },
      },
    )
  }

  function scope(operation: Operation, rowId?: string): Condition[] {
    const decision = scopeFor(resource, operation, principal)
    deps.metrics.dataDecision(resource.name, operation, decision.ok ? 'allowed' : decision.reason)
    if (decision.ok) return decision.where
    throw refused(
      operation,
      rowId,
      new AppError(decision.reason, { reason: `${resource.name}.${operation}` }),
    )
  }

  /** Audits a refusal (the policy's rule code, or 404 for a row out of scope) and returns it. */
  function refused(operation: Operation, rowId: string | undefined, error: AppError): AppError {
    deps.audit('data.refused', {
      resource: resource.name,
      operation,
      userId: principal.userId,
      ...(rowId === undefined ? {} : { rowId }),
      code: error.code,
    })
    return error
  }

  const notInScope = (operation: Operation, rowId: string) =>
    refused(operation, rowId, new AppError('not_found', { reason: 'row_not_in_scope' }))

  /** The write check; a field or value it refuses (422) is audited as a refusal. */
  function checkedValues(body: unknown, operation: 'create' | 'update', rowId?: string) {
    try {
      return valuesForWrite(resource, body, operation, principal)
    } catch (error) {
      if (error instanceof AppError) throw refused(operation, rowId, error)
      throw error
    }
  }

  function view(row: Row, fields: string[] = resource.readable): RecordView {
    const out: Record<string, unknown> = {}
    for (const field of fields)
      if (resource.readable.includes(field) && row.fields[field] !== undefined)
        out[field] = row.fields[field]
    return { id: row.id, fields: out }
  }

  /** Defence in depth: a row outside the scope never leaves the bridge, and is logged as a bug. */
  function inScope(row: Row, where: Condition[], operation: Operation): boolean {
    if (rowMatches(row, where)) return true
    log.error('policy.scope_violation', {
      resource: resource.name,
      operation,
      rowId: row.id,
      adapter: adapter.kind,
    })
    return false
  }

  const neededFields = (fields: string[], where: Condition[]) => [
    ...new Set([...fields, ...where.map((c) => c.field)]),
  ]

  /** What the policy says, without logging a denial: permissions are questions, not attempts. */
  const decide = (operation: Operation) => scopeFor(resource, operation, principal)

  return {
    /**
     * "Can I?": which operations the policy allows the caller, on the resource or on one row, and
     * which fields it may read and write, decided by the same code that enforces them. A row the
     * caller can't read answers 404, as `get` does.
     */
    async permissions(id?: string): Promise<Permissions> {
      const decisions = {
        list: decide('list'),
        get: decide('get'),
        create: decide('create'),
        update: decide('update'),
        delete: decide('delete'),
      }
      let update = decisions.update.ok
      let remove = decisions.delete.ok
      if (id !== undefined) {
        const get = decisions.get
        if (!get.ok) throw new AppError('not_found', { reason: 'row_not_in_scope' })
        await takeShare()
        const row = await adapter.get(id, get.where)
        if (!row || !inScope(row, get.where, 'get'))
          throw new AppError('not_found', { reason: 'row_not_in_scope' })
        update = decisions.update.ok && rowMatches(row, decisions.update.where)
        remove = decisions.delete.ok && rowMatches(row, decisions.delete.where)
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
    },

    async list(params: URLSearchParams) {
      const where = scope('list')
      await takeShare()
      const query = parseListParams(resource, params)
      const fingerprint = await cursors.fingerprint([
        resource.name,
        userKey(principal),
        where,
        query.filters,
        query.sort,
        query.limit,
        query.fields,
      ])
      const page = await adapter.find({
        where: [...where, ...query.filters],
        sort: query.sort,
        limit: query.limit,
        cursor:
          query.cursor === undefined ? undefined : await cursors.unwrap(fingerprint, query.cursor),
        fields: neededFields(query.fields, where),
      })
      const rows = page.rows.filter((row) => inScope(row, where, 'list')).slice(0, query.limit)
      return {
        data: rows.map((row) => view(row, query.fields)),
        nextCursor:
          page.nextCursor === undefined ? null : await cursors.wrap(fingerprint, page.nextCursor),
      }
    },

    async get(id: string) {
      const where = scope('get', id)
      await takeShare()
      const row = await adapter.get(id, where)
      // Another user's row answers exactly like a missing one.
      if (!row || !inScope(row, where, 'get')) throw notInScope('get', id)
      return view(row)
    },

    async create(body: unknown) {
      scope('create')
      await takeShare()
      const many = Array.isArray(body)
      const items = many ? body : [body]
      if (items.length === 0 || items.length > MAX_BATCH) {
        throw new AppError('validation_failed', { detail: `Send 1 to ${MAX_BATCH} records.` })
      }
      const records = items.map((item) => checkedValues(item, 'create'))
      let rows: Row[]
      try {
        rows = await adapter.create(records)
      } catch (error) {
        if (!(error instanceof PartialCreateError)) throw error
        // Say exactly what was written, with the failure: never a silent partial success.
        log.warn('data.partially_created', {
          resource: resource.name,
          created: error.created.length,
          requested: records.length,
          userId: principal.userId,
        })
        throw new AppError(error.failure.code, {
          detail: `${error.created.length} of ${records.length} records were created before: ${error.failure.detail ?? error.failure.title}`,
          headers: error.failure.headers,
          reason: error.failure.reason,
          extensions: {
            ...error.failure.extensions,
            created: error.created.map((row) => view(row)),
          },
        })
      }
      deps.audit('data.created', {
        resource: resource.name,
        userId: principal.userId,
        rowIds: rows.map((row) => row.id),
      })
      const views = rows.map((row) => view(row))
      return many ? { data: views } : views[0]
    },

    async update(id: string, body: unknown) {
      const where = scope('update', id)
      await takeShare()
      const values = checkedValues(body, 'update', id)
      const row = await adapter.update(id, where, values)
      if (!row) throw notInScope('update', id)
      deps.audit('data.updated', {
        resource: resource.name,
        userId: principal.userId,
        rowId: id,
        fields: Object.keys(values),
      })
      return view(row)
    },

    async delete(id: string) {
      const where = scope('delete', id)
      await takeShare()
      if (!(await adapter.delete(id, where))) throw notInScope('delete', id)
      deps.audit('data.deleted', { resource: resource.name, userId: principal.userId, rowId: id })
    },
  }
}
