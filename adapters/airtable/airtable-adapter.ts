import Airtable from 'airtable'
import { backendCalls, rowOf } from '../../src/data/adapter-kit'
import { AppError } from '../../src/errors/app-error'
import { rowMatches } from '../../src/data/policy'
import {
  OPERATORS,
  PartialCreateError,
  type BackendContext,
  type Condition,
  type DataAdapter,
  type Row,
} from '../../src/data/types'
import { compileFormula, quoteString } from './formula'
import { airtableLimiter } from './rate-limiter'
import type { AirtableReference } from './reference'
import type { BackendReference } from '../../src/data/resource'

/** Airtable limits (docs/providers.md, Airtable): page size, records per write, URL length. */
const AIRTABLE_MAX_PAGE_SIZE = 100
const AIRTABLE_MAX_WRITE = 10
const AIRTABLE_MAX_URL = 16_000
const RECORD_ID = /^rec[A-Za-z0-9]{14}$/

export type AirtableConnection = {
  /** A personal access token (pat…) or OAuth token. Never returned, never logged. */
  token: string
  /** Defaults to https://api.airtable.com; tests and local development point it elsewhere. */
  endpointUrl?: string
  timeoutMs?: number
  /** How long a request may wait for the shared 5 req/s budget before answering 503. */
  maxWaitMs?: number
  /** Airtable's budget is 5 per second per base; only a local test server allows more. */
  requestsPerSecond?: number
}

type AirtableRecord = { id: string; createdTime?: string; fields: Record<string, unknown> }
type AirtableBase = {
  makeRequest(options: {
    method?: string
    path?: string
    qs?: Record<string, unknown>
    body?: unknown
  }): Promise<{ statusCode: number; body: unknown }>
}

/**
 * The Airtable adapter: a table of one base, reached with the official `airtable` client. Its
 * retries are off, so the shared budget and the 30 s back-off apply to every instance.
 */
export function airtableTable(options: {
  baseId: string
  table: string
  connection: () => AirtableConnection
}) {
  return function airtableBackend(context: BackendContext): DataAdapter {
    const connection = options.connection()
    const client = new Airtable({
      apiKey: connection.token,
      endpointUrl: connection.endpointUrl ?? 'https://api.airtable.com',
      requestTimeout: connection.timeoutMs ?? 10_000,
      noRetryIfRateLimited: true,
    })
    const base = client.base(options.baseId) as unknown as AirtableBase
    const limiter = airtableLimiter({
      store: context.store,
      baseId: options.baseId,
      maxWaitMs: connection.maxWaitMs ?? 2000,
      perSecond: connection.requestsPerSecond,
      onWait: () => context.metrics.backend('airtable', 'budget_wait'),
    })
    const path = `/${encodeURIComponent(options.table)}`

    const run = backendCalls(translate)
    async function call(request: Parameters<AirtableBase['makeRequest']>[0]): Promise<unknown> {
      await limiter.acquire()
      return run(async () => (await base.makeRequest(request)).body)
    }

    async function translate(error: unknown): Promise<AppError> {
      const status =
        typeof error === 'object' && error !== null && 'statusCode' in error
          ? Number(error.statusCode)
          : 0
      const type =
        typeof error === 'object' && error !== null && 'error' in error
          ? String(error.error)
          : 'UNKNOWN'
      const message =
        error instanceof Error
          ? error.message
          : typeof error === 'object' && error !== null && 'message' in error
            ? String(error.message)
            : ''
      context.logger.warn('airtable.error', { status, type, table: options.table })
      if (status === 429) {
        context.metrics.backend('airtable', 'throttled')
        await limiter.backOff()
        return new AppError('backend_unavailable', {
          headers: { 'Retry-After': '30' },
          reason: 'airtable_429',
        })
      }
      if (type === 'INVALID_OFFSET_VALUE') return new AppError('invalid_cursor')
      if (type === 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE') return new AppError('cursor_expired')
      if (status === 422)
        return new AppError('invalid_value', {
          detail: 'The backend refused a value.',
          reason: type,
        })
      if (status === 0 && /abort/i.test(message))
        return new AppError('gateway_timeout', { reason: 'airtable_timeout' })
      // 401/403 mean our credentials or base scope are wrong: the client learns nothing about them.
      return new AppError('bad_gateway', { reason: `airtable_${status}_${type}` })
    }

    const row = (record: AirtableRecord): Row => rowOf(record.id, record.fields, 'id')

    /** One record by id, with the scope ANDed into the formula: Airtable applies it. */
    async function scoped(id: string, where: Condition[]): Promise<Row | null> {
      if (!RECORD_ID.test(id)) return null
      const formula = compileFormula(where, [`RECORD_ID() = ${quoteString(id)}`])
      const body = (await call({
        method: 'GET',
        path,
        qs: { filterByFormula: formula, maxRecords: 1, pageSize: 1 },
      })) as { records: AirtableRecord[] }
      const found = body.records[0]
      return found && found.id === id ? row(found) : null
    }

    return {
      kind: 'airtable',
      capabilities: {
        operators: OPERATORS,
        maxPageSize: AIRTABLE_MAX_PAGE_SIZE,
        // A user may take 40% of the base's budget: others always have the rest.
        fairShare: {
          budget: `airtable:${options.baseId}`,
          perUserPerSecond: Math.max(1, Math.floor((connection.requestsPerSecond ?? 5) * 0.4)),
        },
      },

      async find(query) {
        const params: Record<string, unknown> = {
          filterByFormula: compileFormula(query.where),
          pageSize: Math.min(query.limit, AIRTABLE_MAX_PAGE_SIZE),
          fields: query.fields,
          sort: query.sort.map((s) => ({ field: s.field, direction: s.direction })),
        }
        if (query.cursor !== undefined) params.offset = query.cursor
        // Long queries go in a POST body (URLs are capped at 16,000 characters).
        const long = JSON.stringify(params).length * 3 > AIRTABLE_MAX_URL
        const body = (await (long
          ? call({ method: 'POST', path: `${path}/listRecords`, body: params })
          : call({ method: 'GET', path, qs: params }))) as {
          records: AirtableRecord[]
          offset?: string
        }
        return { rows: body.records.map(row), nextCursor: body.offset }
      },

      get: scoped,

      async create(records) {
        const rows: Row[] = []
        // Airtable writes at most 10 records a request, with no transaction across requests: a
        // failure after the first chunk is answered with exactly what was created.
        for (let i = 0; i < records.length; i += AIRTABLE_MAX_WRITE) {
          const chunk = records.slice(i, i + AIRTABLE_MAX_WRITE)
          try {
            const body = (await call({
              method: 'POST',
              path,
              body: { records: chunk.map((fields) => ({ fields })), typecast: false },
            })) as { records: AirtableRecord[] }
            rows.push(...body.records.map(row))
          } catch (error) {
            if (rows.length > 0 && error instanceof AppError)
              throw new PartialCreateError(rows, error)
            throw error
          }
        }
        return rows
      },

      async update(id, where, values) {
        // Airtable has no conditional write: read the persisted record with the scope, then PATCH
        // only the allowed fields. The owner field is immutable, so no write can move a row
        // out of its owner's scope between the two calls.
        const current = await scoped(id, where)
        if (!current || !rowMatches(current, where)) return null
        const body = (await call({
          method: 'PATCH',
          path,
          body: { records: [{ id, fields: values }], typecast: false },
        })) as { records: AirtableRecord[] }
        const updated = body.records[0]
        return updated ? row(updated) : null
      },

      async delete(id, where) {
        const current = await scoped(id, where)
        if (!current || !rowMatches(current, where)) return false
        await call({ method: 'DELETE', path: `${path}/${id}` })
        return true
      },
    }
  }
}

/** The driver the Airtable adapter contributes: each `airtable.table(…)`, on its base. */
export function airtableDriver(options: { baseId: string; connection: () => AirtableConnection }) {
  return (reference: BackendReference) => {
    const { table, baseId } = reference as AirtableReference
    return airtableTable({
      baseId: baseId ?? options.baseId,
      table,
      connection: options.connection,
    })
  }
}
