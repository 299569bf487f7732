import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkFunctions, evaluate, FormulaError, parseFormula, truthy, type Value } from './formula'

type StoredRecord = { id: string; createdTime: string; fields: Record<string, Value> }
type Iterator = { ids: string[]; position: number; expiresAt: number }

export type LocalAirtableOptions = {
  token: string
  /** base id → table names */
  bases: Record<string, string[]>
  /** Requests per second per base before 429 (Airtable: 5). */
  ratePerSecond?: number
  /** How long a list cursor lives (Airtable's are short-lived). */
  iteratorTtlMs?: number
  /** Default: a free port. */
  port?: number
}

const MAX_PAGE = 100
const MAX_WRITE = 10
const MAX_URL = 16_000

/**
 * A local server that behaves like the Airtable Web API for the parts the bridge uses: list (GET
 * and POST listRecords) with filterByFormula, sort, fields, pageSize, maxRecords and offset
 * cursors that expire; get; create, PATCH and PUT (≤ 10 records); delete; Airtable's error bodies;
 * and a 429 past 5 requests per second per base. Tests point the official `airtable` client at it.
 */
export async function startLocalAirtable(options: LocalAirtableOptions) {
  const tables = new Map<string, Map<string, StoredRecord>>()
  for (const [base, names] of Object.entries(options.bases))
    for (const name of names) tables.set(`${base}/${name}`, new Map())
  const iterators = new Map<string, Iterator>()
  const hits = new Map<string, number[]>()
  const requestLog: { base: string; at: number; status: number; method: string; path: string }[] =
    []
  let nextId = 1
  let failNext: number[] = []

  const rid = (prefix: string) =>
    `${prefix}${String(nextId++).padStart(6, '0')}${Math.random().toString(36).slice(2, 10).padEnd(8, '0')}`.slice(
      0,
      prefix.length + 14,
    )

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const error = (res: ServerResponse, status: number, type: string, message: string) =>
    send(res, status, { error: { type, message } })

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    return text ? JSON.parse(text) : {}
  }

  function list(
    res: ServerResponse,
    table: Map<string, StoredRecord>,
    params: Record<string, unknown>,
  ) {
    const pageSize = params.pageSize === undefined ? MAX_PAGE : Number(params.pageSize)
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE)
      return error(res, 422, 'INVALID_REQUEST_UNKNOWN', 'Invalid pageSize')
    let iterator: Iterator
    const offset =
      params.offset === undefined
        ? undefined
        : typeof params.offset === 'string'
          ? params.offset
          : JSON.stringify(params.offset)
    if (offset !== undefined) {
      const found = iterators.get(String(offset))
      if (!found) {
        return /^itr[A-Za-z0-9]{14}\/rec[A-Za-z0-9]{14}$/.test(String(offset))
          ? error(
              res,
              422,
              'LIST_RECORDS_ITERATOR_NOT_AVAILABLE',
              'The list records iterator is no longer available',
            )
          : error(res, 422, 'INVALID_OFFSET_VALUE', 'The value of offset is invalid')
      }
      if (found.expiresAt < Date.now()) {
        iterators.delete(String(offset))
        return error(
          res,
          422,
          'LIST_RECORDS_ITERATOR_NOT_AVAILABLE',
          'The list records iterator is no longer available',
        )
      }
      iterator = found
    } else {
      let records = [...table.values()]
      const formula = params.filterByFormula
      if (typeof formula === 'string' && formula !== '') {
        try {
          const tree = parseFormula(formula)
          checkFunctions(tree)
          records = records.filter((record) => truthy(evaluate(tree, record)))
        } catch (e) {
          if (e instanceof FormulaError)
            return error(
              res,
              422,
              'INVALID_FILTER_BY_FORMULA',
              `The formula for filtering records is invalid: ${e.message}`,
            )
          throw e
        }
      }
      const sort = (params.sort as { field: string; direction?: string }[] | undefined) ?? []
      records.sort((a, b) => {
        for (const key of sort) {
          const x = a.fields[key.field] ?? null
          const y = b.fields[key.field] ?? null
          if (x === y) continue
          const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1
          return key.direction === 'desc' ? -order : order
        }
        return a.createdTime < b.createdTime
          ? -1
          : a.createdTime > b.createdTime
            ? 1
            : a.id < b.id
              ? -1
              : 1
      })
      const max = params.maxRecords === undefined ? Infinity : Number(params.maxRecords)
      iterator = {
        ids: records.slice(0, max).map((r) => r.id),
        position: 0,
        expiresAt: Date.now() + (options.iteratorTtlMs ?? 60_000),
      }
    }
    const fields = params.fields as string[] | undefined
    const page = iterator.ids.slice(iterator.position, iterator.position + pageSize)
    iterator.position += pageSize
    const body: { records: unknown[]; offset?: string } = {
      records: page
        .map((id) => table.get(id))
        .filter((r): r is StoredRecord => r !== undefined)
        .map((r) => ({
          id: r.id,
          createdTime: r.createdTime,
          fields: fields ? pick(r.fields, fields) : r.fields,
        })),
    }
    if (iterator.position < iterator.ids.length) {
      const key = `${rid('itr')}/${page.at(-1) ?? rid('rec')}`
      iterators.set(key, { ...iterator })
      body.offset = key
    }
    send(res, 200, body)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const [, version, base, tableName, recordId, extra] = url.pathname
      .split('/')
      .map(decodeURIComponent)
    const log = (status: number) =>
      requestLog.push({
        base: base ?? '',
        at: Date.now(),
        status,
        method: req.method ?? 'GET',
        path: url.pathname,
      })
    try {
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        log(401)
        return error(res, 401, 'AUTHENTICATION_REQUIRED', 'Authentication required')
      }
      if (version !== 'v0' || !base) {
        log(404)
        return send(res, 404, { error: 'NOT_FOUND' })
      }
      const now = Date.now()
      const recent = (hits.get(base) ?? []).filter((t) => now - t < 1000)
      recent.push(now)
      hits.set(base, recent)
      if (recent.length > (options.ratePerSecond ?? 5)) {
        log(429)
        return error(res, 429, 'RATE_LIMIT_REACHED', 'Rate limit exceeded. Please try again later')
      }
      const injected = failNext.shift()
      if (injected) {
        log(injected)
        return error(res, injected, 'SERVER_ERROR', 'Injected failure')
      }
      if ((req.url ?? '').length > MAX_URL) {
        log(414)
        return error(res, 414, 'URL_TOO_LONG', 'Use POST listRecords for long queries')
      }
      const table = tables.get(`${base}/${tableName}`)
      if (!Object.hasOwn(options.bases, base)) {
        log(403)
        return error(
          res,
          403,
          'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
          'Invalid permissions, or the requested model was not found.',
        )
      }
      if (!table) {
        log(404)
        return error(res, 404, 'TABLE_NOT_FOUND', 'Could not find table in application')
      }
      const method = req.method ?? 'GET'
      log(200)
      if (method === 'GET' && !recordId) return list(res, table, queryParams(url.searchParams))
      if (method === 'POST' && recordId === 'listRecords' && !extra)
        return list(res, table, (await readBody(req)) as Record<string, unknown>)
      if (method === 'GET' && recordId) {
        const record = table.get(recordId)
        return record ? send(res, 200, record) : send(res, 404, { error: 'NOT_FOUND' })
      }
      if (method === 'POST' && !recordId) {
        const body = (await readBody(req)) as {
          records?: { fields: Record<string, Value> }[]
          fields?: Record<string, Value>
        }
        const items = body.records ?? (body.fields ? [{ fields: body.fields }] : [])
        if (items.length === 0 || items.length > MAX_WRITE)
          return error(
            res,
            422,
            'INVALID_RECORDS',
            `You can create at most ${MAX_WRITE} records at a time`,
          )
        const created = items.map((item) => {
          const record = {
            id: rid('rec'),
            createdTime: new Date(Date.now() + nextId).toISOString(),
            fields: clean(item.fields),
          }
          table.set(record.id, record)
          return record
        })
        return send(res, 200, body.records ? { records: created } : created[0])
      }
      if ((method === 'PATCH' || method === 'PUT') && !recordId) {
        const body = (await readBody(req)) as {
          records?: { id: string; fields: Record<string, Value> }[]
        }
        const items = body.records ?? []
        if (items.length === 0 || items.length > MAX_WRITE)
          return error(
            res,
            422,
            'INVALID_RECORDS',
            `You can update at most ${MAX_WRITE} records at a time`,
          )
        if (items.some((item) => !table.has(item.id)))
          return send(res, 404, {
            error: { type: 'MODEL_ID_NOT_FOUND', message: 'Record not found' },
          })
        const updated = items.map((item) => {
          const record = table.get(item.id) as StoredRecord
          record.fields =
            method === 'PUT' ? clean(item.fields) : clean({ ...record.fields, ...item.fields })
          return record
        })
        return send(res, 200, { records: updated })
      }
      if (method === 'PATCH' && recordId) {
        const record = table.get(recordId)
        if (!record)
          return send(res, 404, {
            error: { type: 'MODEL_ID_NOT_FOUND', message: 'Record not found' },
          })
        const body = (await readBody(req)) as { fields: Record<string, Value> }
        record.fields = clean({ ...record.fields, ...body.fields })
        return send(res, 200, record)
      }
      if (method === 'DELETE' && recordId) {
        if (!table.delete(recordId))
          return send(res, 404, {
            error: { type: 'MODEL_ID_NOT_FOUND', message: 'Record not found' },
          })
        return send(res, 200, { id: recordId, deleted: true })
      }
      return send(res, 404, { error: 'NOT_FOUND' })
    } catch (e) {
      if (e instanceof SyntaxError)
        return error(
          res,
          422,
          'INVALID_REQUEST_UNKNOWN',
          'Invalid request: parameter validation failed',
        )
      return error(res, 500, 'SERVER_ERROR', 'Unexpected error')
    }
  }
  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    /** Rows as stored, for assertions that bypass the bridge. */
    table: (base: string, name: string) =>
      tables.get(`${base}/${name}`) ?? new Map<string, StoredRecord>(),
    seed(base: string, name: string, fields: Record<string, Value>): StoredRecord {
      const record = {
        id: rid('rec'),
        createdTime: new Date(Date.now() + nextId).toISOString(),
        fields: clean(fields),
      }
      tables.get(`${base}/${name}`)?.set(record.id, record)
      return record
    },
    clear(base: string, name: string) {
      tables.get(`${base}/${name}`)?.clear()
    },
    expireIterators() {
      for (const iterator of iterators.values()) iterator.expiresAt = 0
    },
    failNext(...statuses: number[]) {
      failNext = statuses
    },
    requestLog,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type LocalAirtable = Awaited<ReturnType<typeof startLocalAirtable>>

/** Airtable drops empty values: false checkboxes and blank strings are not stored. */
function clean(fields: Record<string, Value>): Record<string, Value> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([, v]) => v !== null && v !== false && v !== '' && v !== undefined,
    ),
  )
}

function pick(fields: Record<string, Value>, names: string[]): Record<string, Value> {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => names.includes(k)))
}

/** Reads `fields[]=a`, `sort[0][field]=x&sort[0][direction]=desc` and scalars. */
function queryParams(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const sort: { field: string; direction?: string }[] = []
  for (const [key, value] of search) {
    const sortKey = /^sort\[(\d+)\]\[(field|direction)\]$/.exec(key)
    if (sortKey) {
      const index = Number(sortKey[1])
      sort[index] = { ...(sort[index] ?? { field: '' }), [sortKey[2] ?? 'field']: value }
    } else if (key === 'fields[]' || key === 'fields') {
      out.fields = [...((out.fields as string[] | undefined) ?? []), value]
    } else {
      out[key] = value
    }
  }
  if (sort.length > 0) out.sort = sort
  return out
}
