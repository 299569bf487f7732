import { enforceBudgets } from '../budgets/enforce-budgets'
import type { Clock } from '../clock'
import { AppError } from '../errors/app-error'
import { userKey, type Principal } from '../identity/principal'
import type { AuditTrail, EventOrigin } from '../audit/audit-trail'
import type { Metrics } from '../observability/metrics'
import type { Store } from '../store/types'
import type { CursorCodec } from './cursor'
import { permissionsOf, type Permissions } from './permissions'
import { rowMatches, scopeFor } from './policy'
import { parseListParams } from './query-params'
import type { Resource } from './resource'
import { PartialCreateError, type Condition, type Operation, type Row } from './types'
import { valuesForWrite } from './write-check'

export type RecordView = { id: string; fields: Record<string, unknown> }
export type { Permissions }
export type DataService = ReturnType<typeof dataService>
/** Who is asking, and where their request's events go. */
export type Caller = { principal: Principal; origin: EventOrigin }
const MAX_BATCH = 100

/**
 * Runs data requests on one resource through its policy: scope, validation, the adapter call
 * with the scope in it, then a second check of every returned row and a projection onto readable
 * fields. Built once per resource; every method takes the caller. Each decision is counted, and
 * every write and refusal is audited, here.
 */
export function dataService(
  resource: Resource,
  deps: { cursors: CursorCodec; store: Store; clock: Clock; metrics: Metrics; audit: AuditTrail },
) {
  const adapter = resource.adapter
  const { cursors } = deps
  const share = adapter.capabilities.fairShare

  /** The caller's share of a backend budget all users share (see DataAdapter.capabilities). */
  async function takeShare({ principal, origin }: Caller) {
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
        whenStoreDown: { failOpen: true, log: origin.log },
      },
    )
  }

  function scope(caller: Caller, operation: Operation, rowId?: string): Condition[] {
    const decision = scopeFor(resource, operation, caller.principal)
    deps.metrics.dataDecision(resource.name, operation, decision.ok ? 'allowed' : decision.reason)
    if (decision.ok) return decision.where
    throw refused(
      caller,
      operation,
      rowId,
      new AppError(decision.reason, { reason: `${resource.name}.${operation}` }),
    )
  }

  /** Audits a refusal (the policy's rule code, or 404 for a row out of scope) and returns it. */
  function refused(
    caller: Caller,
    operation: Operation,
    rowId: string | undefined,
    error: AppError,
  ): AppError {
    deps.audit.record(caller.origin, 'data.refused', {
      resource: resource.name,
      operation,
      userId: caller.principal.userId,
      ...(rowId === undefined ? {} : { rowId }),
      code: error.code,
    })
    return error
  }

  const notInScope = (caller: Caller, operation: Operation, rowId: string) =>
    refused(caller, operation, rowId, new AppError('not_found', { reason: 'row_not_in_scope' }))

  /** The write check; a field or value it refuses (422) is audited as a refusal. */
  function checkedValues(
    caller: Caller,
    body: unknown,
    operation: 'create' | 'update',
    rowId?: string,
  ) {
    try {
      return valuesForWrite(resource, body, operation, caller.principal)
    } catch (error) {
      if (error instanceof AppError) throw refused(caller, operation, rowId, error)
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
  function inScope(caller: Caller, row: Row, where: Condition[], operation: Operation): boolean {
    if (rowMatches(row, where)) return true
    caller.origin.log.error('policy.scope_violation', {
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

  return {
    resource,

    /** "Can I?" (permissions.ts): a row the caller can't read answers 404, as `get` does. */
    async permissions(caller: Caller, id?: string): Promise<Permissions> {
      const row =
        id === undefined
          ? undefined
          : async (where: Condition[]) => {
              await takeShare(caller)
              const found = await adapter.get(id, where)
              return found && inScope(caller, found, where, 'get') ? found : null
            }
      return permissionsOf(resource, caller.principal, id, row)
    },

    async list(caller: Caller, params: URLSearchParams) {
      const where = scope(caller, 'list')
      await takeShare(caller)
      const query = parseListParams(resource, params)
      const fingerprint = await cursors.fingerprint([
        resource.name,
        userKey(caller.principal),
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
      const rows = page.rows
        .filter((row) => inScope(caller, row, where, 'list'))
        .slice(0, query.limit)
      return {
        data: rows.map((row) => view(row, query.fields)),
        nextCursor:
          page.nextCursor === undefined ? null : await cursors.wrap(fingerprint, page.nextCursor),
      }
    },

    async get(caller: Caller, id: string) {
      const where = scope(caller, 'get', id)
      await takeShare(caller)
      const row = await adapter.get(id, where)
      // Another user's row answers exactly like a missing one.
      if (!row || !inScope(caller, row, where, 'get')) throw notInScope(caller, 'get', id)
      return view(row)
    },

    async create(caller: Caller, body: unknown) {
      const { principal, origin } = caller
      scope(caller, 'create')
      await takeShare(caller)
      const many = Array.isArray(body)
      const items = many ? body : [body]
      if (items.length === 0 || items.length > MAX_BATCH) {
        throw new AppError('validation_failed', { detail: `Send 1 to ${MAX_BATCH} records.` })
      }
      const records = items.map((item) => checkedValues(caller, item, 'create'))
      let rows: Row[]
      try {
        rows = await adapter.create(records)
      } catch (error) {
        if (!(error instanceof PartialCreateError)) throw error
        // Say exactly what was written, with the failure: never a silent partial success.
        origin.log.warn('data.partially_created', {
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
      deps.audit.record(origin, 'data.created', {
        resource: resource.name,
        userId: principal.userId,
        rowIds: rows.map((row) => row.id),
      })
      const views = rows.map((row) => view(row))
      return many ? { data: views } : views[0]
    },

    async update(caller: Caller, id: string, body: unknown) {
      const where = scope(caller, 'update', id)
      await takeShare(caller)
      const values = checkedValues(caller, body, 'update', id)
      const row = await adapter.update(id, where, values)
      if (!row) throw notInScope(caller, 'update', id)
      deps.audit.record(caller.origin, 'data.updated', {
        resource: resource.name,
        userId: caller.principal.userId,
        rowId: id,
        fields: Object.keys(values),
      })
      return view(row)
    },

    async delete(caller: Caller, id: string) {
      const where = scope(caller, 'delete', id)
      await takeShare(caller)
      if (!(await adapter.delete(id, where))) throw notInScope(caller, 'delete', id)
      deps.audit.record(caller.origin, 'data.deleted', {
        resource: resource.name,
        userId: caller.principal.userId,
        rowId: id,
      })
    },
  }
}
