import { MongoBulkWriteError, ObjectId, type Db, type Document, MongoServerError } from 'mongodb'
import {
  OPERATORS,
  PartialCreateError,
  type BackendContext,
  type DataAdapter,
  type Row,
  type Scalar,
} from '../../src/data/types'
import { backendCalls, knownFields, rowOf, storedValue } from '../../src/data/adapter-kit'
import { AppError } from '../../src/errors/app-error'
import { afterFilter, assertSafeKey, mongoFilter } from './mongo-filter'
import type { BackendReference } from '../../src/data/resource'

const MONGO_MAX_PAGE_SIZE = 100
const OBJECT_ID = /^[0-9a-f]{24}$/

import type { MongoIndex, MongoReference } from './reference'

/**
 * The MongoDB adapter (official driver): one resource per collection, ObjectIds as strings at the
 * HTTP surface. Update and delete are one owner-scoped command each (findOneAndUpdate with
 * `$set` of allowed fields only, deleteOne), so there is no read-then-write race. No
 * transactions, replica sets or change streams are used.
 */
export function mongoCollection(options: {
  db: () => Db
  collection: string
  indexes?: MongoIndex[]
}) {
  return function mongoBackend(context: BackendContext): DataAdapter {
    const fields = context.fields
    let indexes: Promise<unknown> | undefined
    const coll = async () => {
      const collection = options.db().collection(options.collection)
      if (options.indexes?.length) {
        indexes ??= collection
          .createIndexes(
            options.indexes.map((i) => ({
              key: i.key,
              unique: i.unique ?? false,
              ...(i.name ? { name: i.name } : {}),
            })),
          )
          .catch((error: unknown) => {
            indexes = undefined
            throw error
          })
        await indexes
      }
      return collection
    }
    const run = backendCalls((error) => translate(error))
    const translate = (error: unknown): AppError => {
      if (error instanceof AppError) return error
      if (error instanceof MongoServerError && error.code === 11000) {
        // The driver drops keyPattern from bulk write errors; the index name in the message remains.
        const indexName = /index: (\S+)/.exec(error.message)?.[1]
        const declared = options.indexes?.find(
          (i) =>
            (i.name ??
              Object.entries(i.key)
                .map(([k, v]) => `${k}_${v}`)
                .join('_')) === indexName,
        )
        const names = Object.keys(
          (error.keyPattern ?? declared?.key ?? {}) as Record<string, unknown>,
        )
        return new AppError('conflict', {
          detail: `Another row already has these values: ${names.join(', ')}.`,
          extensions: { fields: names },
          reason: 'duplicate_key',
        })
      }
      if (error instanceof MongoServerError && [2, 9, 14, 52, 66].includes(Number(error.code))) {
        return new AppError('invalid_value', {
          detail: 'The database refused a value.',
          reason: `mongo_${error.code}`,
        })
      }
      const name = error instanceof Error ? error.name : ''
      if (
        /MongoNetwork|MongoServerSelection|MongoNotConnected|MongoTopologyClosed|PoolClosed/.test(
          name,
        )
      ) {
        return new AppError('backend_unavailable', {
          headers: { 'Retry-After': '1' },
          reason: 'mongo_unreachable',
          cause: error,
        })
      }
      context.logger.error('mongo.error', { collection: options.collection, error })
      return new AppError('internal', { cause: error })
    }
    const projection = (names: string[]) =>
      Object.fromEntries(knownFields(fields, names).map((n) => [n, 1]))
    const all = Object.keys(fields)
    const toRow = (doc: Document): Row =>
      rowOf(doc._id instanceof ObjectId ? doc._id.toHexString() : String(doc._id), doc, '_id')
    const toDocument = (values: Record<string, Scalar>): Document => {
      const doc: Document = {}
      for (const [key, value] of Object.entries(values)) {
        assertSafeKey(key)
        doc[key] = storedValue(value, fields[key])
      }
      return doc
    }
    const byId = (id: string) => (OBJECT_ID.test(id) ? new ObjectId(id) : null)

    return {
      kind: 'mongodb',
      capabilities: {
        operators: OPERATORS,
        maxPageSize: MONGO_MAX_PAGE_SIZE,
      },

      async find(query) {
        const sort: Document = {}
        for (const key of query.sort) sort[key.field] = key.direction === 'asc' ? 1 : -1
        sort._id = 1
        const filter = mongoFilter(query.where, fields)
        let last: { values: unknown[]; id: unknown } | undefined
        if (query.cursor !== undefined) {
          try {
            const parsed = JSON.parse(query.cursor) as { v: unknown[]; id: string }
            last = {
              values: parsed.v.map((v, i) =>
                storedValue(v as Scalar, fields[query.sort[i]?.field ?? '']),
              ),
              id: new ObjectId(parsed.id),
            }
          } catch {
            throw new AppError('invalid_cursor')
          }
        }
        const combined = last ? { $and: [filter, afterFilter(query.sort, last)] } : filter
        const docs = await run(async () =>
          (await coll())
            .find(combined, {
              projection: projection([...query.fields, ...query.sort.map((s) => s.field)]),
            })
            .sort(sort)
            .limit(query.limit + 1)
            .toArray(),
        )
        // Documents written outside the bridge may have another kind of _id: they are not
        // served (their ids couldn't be addressed), and never break the page.
        const page = docs.slice(0, query.limit).filter(hasObjectId)
        const tail = page.at(-1)
        const nextCursor =
          docs.length > query.limit && tail
            ? JSON.stringify({
                v: query.sort.map((s) => cursorValue(tail[s.field])),
                id: tail._id.toHexString(),
              })
            : undefined
        return { rows: page.map(toRow), nextCursor }
      },

      async get(id, where) {
        const _id = byId(id)
        if (!_id) return null
        const doc = await run(async () =>
          (await coll()).findOne(
            { $and: [{ _id }, mongoFilter(where, fields)] },
            { projection: projection(all) },
          ),
        )
        return doc ? toRow(doc) : null
      },

      async create(records) {
        const docs = records.map((values) => ({ _id: new ObjectId(), ...toDocument(values) }))
        try {
          await (await coll()).insertMany(docs, { ordered: true })
        } catch (error) {
          // Ordered inserts stop at the first failure: the ones before it are written.
          const inserted =
            error instanceof MongoBulkWriteError ? Number(error.result.insertedCount) : 0
          if (inserted > 0)
            throw new PartialCreateError(docs.slice(0, inserted).map(toRow), translate(error))
          throw translate(error)
        }
        return docs.map(toRow)
      },

      async update(id, where, values) {
        const _id = byId(id)
        if (!_id) return null
        const doc = await run(async () =>
          (await coll()).findOneAndUpdate(
            { $and: [{ _id }, mongoFilter(where, fields)] },
            { $set: toDocument(values) },
            { returnDocument: 'after', projection: projection(all) },
          ),
        )
        return doc ? toRow(doc) : null
      },

      async delete(id, where) {
        const _id = byId(id)
        if (!_id) return false
        const result = await run(async () =>
          (await coll()).deleteOne({ $and: [{ _id }, mongoFilter(where, fields)] }),
        )
        return result.deletedCount === 1
      },
    }
  }
}

/** A sort value as the cursor keeps it: dates as ISO strings, a missing value as null. */
function cursorValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null)
}

function hasObjectId(doc: Document): doc is Document & { _id: ObjectId } {
  return doc._id instanceof ObjectId
}

/** The driver the MongoDB adapter contributes: each `mongodb.collection(…)` over one database. */
export function mongoDriver(options: { db: () => Db }) {
  return (reference: BackendReference) => {
    const { collection, indexes } = reference as MongoReference
    return mongoCollection({ db: options.db, collection, indexes })
  }
}
