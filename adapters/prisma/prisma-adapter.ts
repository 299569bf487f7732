import {
  OPERATORS,
  type BackendContext,
  type Condition,
  type DataAdapter,
  type FieldSpec,
  type Row,
  type Scalar,
} from '../../src/data/types'
import { backendCalls, knownFields, rowOf, storedValue } from '../../src/data/adapter-kit'
import { AppError } from '../../src/errors/app-error'
import { translatePrismaError } from './prisma-errors'
import type { PrismaReference } from './reference'
import type { BackendReference } from '../../src/data/resource'

type Data = Record<string, unknown>
/** The part of a Prisma model delegate the adapter uses (createManyAndReturn and updateManyAndReturn need Prisma ≥ 6.2). */
type ModelDelegate = {
  findMany(args: object): Promise<Data[]>
  findFirst(args: object): Promise<Data | null>
  createManyAndReturn(args: object): Promise<Data[]>
  updateManyAndReturn(args: object): Promise<Data[]>
  deleteMany(args: object): Promise<{ count: number }>
}

const PRISMA_MAX_PAGE_SIZE = 100

/**
 * The Prisma adapter: any Prisma 7 client (PostgreSQL, SQLite, D1 driver adapters) and a model.
 * Ownership is enforced in the query: update and delete are one statement whose `where` holds
 * the id AND the scope, so there is no read-then-write race; a count of 0 answers 404.
 */
export function prismaModel(options: {
  client: () => object
  model: string
  provider: 'postgresql' | 'sqlite'
}) {
  return function prismaBackend(context: BackendContext): DataAdapter {
    const delegate = () => {
      const found = (options.client() as Record<string, unknown>)[options.model]
      if (!found || typeof found !== 'object')
        throw new Error(`the Prisma client has no model "${options.model}"`)
      return found as ModelDelegate
    }
    const fields = context.fields
    const run = backendCalls((error) => {
      const problem = translatePrismaError(error, Object.keys(fields))
      if (problem.status >= 500)
        context.logger.error('prisma.error', { model: options.model, error })
      return problem
    })
    const select = (names: string[]): Record<string, true> =>
      Object.fromEntries(['id', ...knownFields(fields, names)].map((n) => [n, true] as const))
    const allFields = Object.keys(fields)
    const toRow = (data: Data): Row => rowOf(String(data.id), data, 'id')
    const toData = (values: Record<string, Scalar>): Data =>
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, storedValue(v, fields[k])]))
    const where = (conditions: Condition[]) => ({
      AND: conditions.map((c) => condition(c, fields[c.field], options.provider)),
    })
    // SQLite's LIKE (behind Prisma's `contains`) ignores case and has no escape character, so
    // the database returns a superset and the exact substring test runs here. Pages may then be
    // shorter than the limit; the cursor still moves over what the database returned.
    const exactContains = (conditions: Condition[]) =>
      options.provider === 'sqlite' ? conditions.filter((c) => c.op === 'contains') : []

    return {
      kind: 'prisma',
      capabilities: {
        operators: OPERATORS,
        maxPageSize: PRISMA_MAX_PAGE_SIZE,
      },

      async find(query) {
        // Keyset pagination on (sort…, id) through Prisma's cursor: stable while rows change.
        const orderBy = [...query.sort.map((s) => ({ [s.field]: s.direction })), { id: 'asc' }]
        const recheck = exactContains(query.where)
        const rows = await run(() =>
          delegate().findMany({
            where: where(query.where),
            orderBy,
            take: query.limit + 1,
            ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
            select: select([...query.fields, ...recheck.map((c) => c.field)]),
          }),
        )
        const page = rows.slice(0, query.limit)
        const last = page.at(-1)
        const kept = page.filter((data) =>
          recheck.every(
            (c) =>
              typeof data[c.field] === 'string' && String(data[c.field]).includes(String(c.value)),
          ),
        )
        return {
          rows: kept.map(toRow),
          nextCursor: rows.length > query.limit && last ? String(last.id) : undefined,
        }
      },

      async get(id, conditions) {
        const found = await run(() =>
          delegate().findFirst({
            where: { AND: [{ id }, where(conditions)] },
            select: select(allFields),
          }),
        )
        return found ? toRow(found) : null
      },

      async create(records) {
        const created = await run(() =>
          delegate().createManyAndReturn({ data: records.map(toData), select: select(allFields) }),
        )
        return created.map(toRow)
      },

      async update(id, conditions, values) {
        const updated = await run(() =>
          delegate().updateManyAndReturn({
            where: { AND: [{ id }, where(conditions)] },
            data: toData(values),
            select: select(allFields),
          }),
        )
        const [row] = updated
        if (updated.length > 1)
          throw new AppError('internal', { reason: 'update touched more than one row' })
        return row ? toRow(row) : null
      },

      async delete(id, conditions) {
        const { count } = await run(() =>
          delegate().deleteMany({ where: { AND: [{ id }, where(conditions)] } }),
        )
        return count > 0
      },
    }
  }
}

/** LIKE wildcards and PostgreSQL's default escape character, escaped: `contains` is literal. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`)
}

/** One normalized condition as a Prisma filter. `ne` keeps NULLs, as Airtable and MongoDB do. */
function condition(
  c: Condition,
  spec: FieldSpec | undefined,
  provider: 'postgresql' | 'sqlite',
): Data {
  const value = storedValue(c.value, spec)
  switch (c.op) {
    case 'eq':
      return { [c.field]: value }
    case 'ne':
      return value === null
        ? { [c.field]: { not: null } }
        : { OR: [{ [c.field]: { not: value } }, { [c.field]: null }] }
    case 'in':
      return { [c.field]: { in: Array.isArray(value) ? value : [value] } }
    case 'contains':
      return {
        [c.field]: {
          contains:
            provider === 'postgresql' && typeof value === 'string' ? likeLiteral(value) : value,
        },
      }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return { [c.field]: { [c.op]: value } }
  }
}

/**
 * The driver the Prisma adapters (Node, D1) contribute: each `prisma.model('Post')` on the client
 * they opened. The client's delegate is the model's name with a lowercase first letter.
 */
export function prismaDriver(options: { client: () => object; provider: 'postgresql' | 'sqlite' }) {
  return (reference: BackendReference) => {
    const { model } = reference as PrismaReference
    return prismaModel({
      client: options.client,
      model: model.charAt(0).toLowerCase() + model.slice(1),
      provider: options.provider,
    })
  }
}
