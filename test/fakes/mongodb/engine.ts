import { Long, ObjectId, type Document } from 'bson'
import { Aggregator, Query, updateOne } from 'mingo'
import { decode, encode } from './codec'

type Index = { name: string; key: Record<string, 1 | -1>; unique: boolean }
type Collection = { docs: Document[]; indexes: Index[] }
type Cursor = { ns: string; docs: Document[]; position: number }

class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
  ) {
    super(message)
  }
}

const SUPPORTED_PIPELINE = new Set([
  '$match',
  '$sort',
  '$skip',
  '$limit',
  '$count',
  '$project',
  '$group',
])

/**
 * The commands a MongoDB server answers, enough for the official driver and the bridge's
 * adapter: hello/isMaster/ping/buildInfo, find/getMore/killCursors, insert/update/delete,
 * findAndModify, count, aggregate ($match $sort $skip $limit $count $project, and $group for countDocuments), createIndexes
 * (unique enforced), listIndexes, drop, endSessions. Queries and updates are evaluated with mingo.
 * Anything else, transactions included, gets MongoDB's own error, as a standalone server would.
 */
export function createEngine() {
  const databases = new Map<string, Map<string, Collection>>()
  const cursors = new Map<string, Cursor>()
  let nextCursor = 1
  let connectionId = 1

  const collection = (db: string, name: string, create = true): Collection | undefined => {
    let colls = databases.get(db)
    if (!colls) {
      if (!create) return undefined
      colls = new Map()
      databases.set(db, colls)
    }
    let coll = colls.get(name)
    if (!coll && create) {
      coll = { docs: [], indexes: [{ name: '_id_', key: { _id: 1 }, unique: true }] }
      colls.set(name, coll)
    }
    return coll
  }

  const match = (docs: Document[], filter: Document | undefined): Document[] => {
    if (!filter || Object.keys(filter).length === 0) return [...docs]
    if (JSON.stringify(filter).includes('"$where"'))
      throw new CommandError(2, 'BadValue', '$where is not allowed in this context')
    const query = new Query(encode(filter) as Document)
    return docs.filter((doc) => query.test(encode(doc) as Document))
  }

  const sortDocs = (docs: Document[], sort: Document | undefined): Document[] => {
    if (!sort || Object.keys(sort).length === 0) return docs
    const encoded = docs.map((doc, i) => ({ ...(encode(doc) as Document), __i: i }))
    const sorted = new Aggregator([{ $sort: sort }]).run<Document>(encoded)
    return sorted.map((d) => docs[d.__i as number] as Document)
  }

  const project = (doc: Document, projection: Document | undefined): Document => {
    if (!projection || Object.keys(projection).length === 0) return doc
    const [result] = new Aggregator([{ $project: encode(projection) }]).run<Document>([encode(doc)])
    return decode(result) as Document
  }

  const keyOf = (doc: Document, index: Index) =>
    JSON.stringify(Object.keys(index.key).map((k) => encode(doc[k]) ?? null))

  /** Unique indexes: a write that would duplicate a key fails with E11000, as MongoDB does. */
  const checkUnique = (coll: Collection, candidate: Document, ignore?: Document) => {
    for (const index of coll.indexes.filter((i) => i.unique)) {
      const key = keyOf(candidate, index)
      if (coll.docs.some((doc) => doc !== ignore && keyOf(doc, index) === key)) {
        const keyValue = Object.fromEntries(
          Object.keys(index.key).map((k) => [k, candidate[k] ?? null]),
        )
        const error = new CommandError(
          11000,
          'DuplicateKey',
          `E11000 duplicate key error collection index: ${index.name} dup key: ${JSON.stringify(keyValue)}`,
        )
        Object.assign(error, { keyPattern: index.key, keyValue })
        throw error
      }
    }
  }

  const cursorReply = (
    ns: string,
    docs: Document[],
    batchSize: number | undefined,
    single = false,
  ) => {
    const size = batchSize ?? 101
    const first = docs.slice(0, size)
    let id = Long.ZERO
    if (!single && docs.length > size) {
      const key = String(nextCursor++)
      cursors.set(key, { ns, docs, position: size })
      id = Long.fromString(key)
    }
    return { cursor: { firstBatch: first, id, ns }, ok: 1 }
  }

  const writeError = (error: unknown, index: number) => {
    if (error instanceof CommandError)
      return {
        index,
        code: error.code,
        errmsg: error.message,
        ...('keyPattern' in error
          ? {
              keyPattern: error.keyPattern,
              keyValue: (error as unknown as { keyValue: Document }).keyValue,
            }
          : {}),
      }
    throw error
  }

  const applyUpdate = (coll: Collection, doc: Document, update: Document): Document => {
    if (Array.isArray(update))
      throw new CommandError(9, 'FailedToParse', 'pipeline updates are not supported here')
    const operators = Object.keys(update)
    if (operators.length === 0 || !operators.every((k) => k.startsWith('$')))
      throw new CommandError(9, 'FailedToParse', 'replacement updates are not supported here')
    const working = [encode(doc) as Document]
    updateOne(working, {}, encode(update) as Document)
    const next = decode(working[0]) as Document
    if (String(next._id) !== String(doc._id))
      throw new CommandError(
        66,
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      )
    checkUnique(coll, next, doc)
    return next
  }

  function run(command: Document): Document {
    const name = Object.keys(command)[0] ?? ''
    const db = String(command.$db ?? 'admin')
    if (command.startTransaction || command.autocommit === false) {
      throw new CommandError(
        20,
        'IllegalOperation',
        'Transaction numbers are only allowed on a replica set member or mongos',
      )
    }
    switch (name.toLowerCase()) {
      case 'hello':
      case 'ismaster':
        return {
          helloOk: true,
          isWritablePrimary: true,
          ismaster: true,
          maxBsonObjectSize: 16 * 1024 * 1024,
          maxMessageSizeBytes: 48_000_000,
          maxWriteBatchSize: 100_000,
          localTime: new Date(),
          logicalSessionTimeoutMinutes: 30,
          connectionId: connectionId++,
          minWireVersion: 0,
          maxWireVersion: 21,
          readOnly: false,
          ok: 1,
        }
      case 'ping':
      case 'endsessions':
        return { ok: 1 }
      case 'buildinfo':
        return {
          version: '7.0.0',
          versionArray: [7, 0, 0, 0],
          bits: 64,
          maxBsonObjectSize: 16 * 1024 * 1024,
          ok: 1,
        }
      case 'find': {
        const coll = collection(db, String(command.find), false)
        let docs = match(coll?.docs ?? [], command.filter)
        docs = sortDocs(docs, command.sort)
        if (command.skip) docs = docs.slice(Number(command.skip))
        if (command.limit) docs = docs.slice(0, Math.abs(Number(command.limit)))
        docs = docs.map((doc) => project(doc, command.projection))
        return cursorReply(
          `${db}.${command.find}`,
          docs,
          command.batchSize === undefined ? undefined : Number(command.batchSize),
          Boolean(command.singleBatch),
        )
      }
      case 'getmore': {
        const key = String(command.getMore)
        const cursor = cursors.get(key)
        if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${key} not found`)
        const size = command.batchSize === undefined ? 101 : Number(command.batchSize)
        const batch = cursor.docs.slice(cursor.position, cursor.position + size)
        cursor.position += size
        const done = cursor.position >= cursor.docs.length
        if (done) cursors.delete(key)
        return {
          cursor: { nextBatch: batch, id: done ? Long.ZERO : Long.fromString(key), ns: cursor.ns },
          ok: 1,
        }
      }
      case 'killcursors': {
        const ids = (command.cursors as unknown[]).map(String)
        for (const id of ids) cursors.delete(id)
        return {
          cursorsKilled: command.cursors,
          cursorsNotFound: [],
          cursorsAlive: [],
          cursorsUnknown: [],
          ok: 1,
        }
      }
      case 'insert': {
        const coll = collection(db, String(command.insert)) as Collection
        const writeErrors: Document[] = []
        let n = 0
        for (const [index, raw] of (command.documents as Document[]).entries()) {
          const doc = { _id: raw._id ?? new ObjectId(), ...raw }
          try {
            checkUnique(coll, doc)
            coll.docs.push(doc)
            n++
          } catch (error) {
            writeErrors.push(writeError(error, index))
            if (command.ordered !== false) break
          }
        }
        return { n, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 }
      }
      case 'update': {
        const coll = collection(db, String(command.update)) as Collection
        let n = 0
        let nModified = 0
        const writeErrors: Document[] = []
        for (const [index, statement] of (command.updates as Document[]).entries()) {
          try {
            if (statement.upsert)
              throw new CommandError(2, 'BadValue', 'upsert is not supported here')
            const targets = match(coll.docs, statement.q)
            for (const doc of statement.multi ? targets : targets.slice(0, 1)) {
              const next = applyUpdate(coll, doc, statement.u)
              coll.docs[coll.docs.indexOf(doc)] = next
              n++
              if (JSON.stringify(encode(next)) !== JSON.stringify(encode(doc))) nModified++
            }
          } catch (error) {
            writeErrors.push(writeError(error, index))
            if (command.ordered !== false) break
          }
        }
        return { n, nModified, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 }
      }
      case 'delete': {
        const coll = collection(db, String(command.delete), false)
        let n = 0
        for (const statement of command.deletes as Document[]) {
          if (!coll) break
          const targets = match(coll.docs, statement.q)
          for (const doc of Number(statement.limit) === 1 ? targets.slice(0, 1) : targets) {
            coll.docs.splice(coll.docs.indexOf(doc), 1)
            n++
          }
        }
        return { n, ok: 1 }
      }
      case 'findandmodify': {
        const coll = collection(db, String(command.findAndModify)) as Collection
        if (command.upsert) throw new CommandError(2, 'BadValue', 'upsert is not supported here')
        const [doc] = sortDocs(match(coll.docs, command.query), command.sort)
        if (!doc) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 }
        if (command.remove) {
          coll.docs.splice(coll.docs.indexOf(doc), 1)
          return { lastErrorObject: { n: 1 }, value: project(doc, command.fields), ok: 1 }
        }
        const next = applyUpdate(coll, doc, command.update)
        coll.docs[coll.docs.indexOf(doc)] = next
        return {
          lastErrorObject: { n: 1, updatedExisting: true },
          value: project(command.new ? next : doc, command.fields),
          ok: 1,
        }
      }
      case 'count': {
        const coll = collection(db, String(command.count), false)
        return { n: match(coll?.docs ?? [], command.query).length, ok: 1 }
      }
      case 'aggregate': {
        const pipeline = command.pipeline as Document[]
        for (const stage of pipeline) {
          const op = Object.keys(stage)[0] ?? ''
          if (!SUPPORTED_PIPELINE.has(op))
            throw new CommandError(
              40324,
              'Location40324',
              `Unrecognized pipeline stage name: '${op}'`,
            )
        }
        const coll = collection(db, String(command.aggregate), false)
        const result = new Aggregator(encode(pipeline) as Document[]).run<Document>(
          (coll?.docs ?? []).map((d) => encode(d) as Document),
        )
        return cursorReply(
          `${db}.${command.aggregate}`,
          result.map((d) => decode(d) as Document),
          (command.cursor as Document | undefined)?.batchSize as number | undefined,
        )
      }
      case 'createindexes': {
        const coll = collection(db, String(command.createIndexes)) as Collection
        const before = coll.indexes.length
        for (const spec of command.indexes as Document[]) {
          if (coll.indexes.some((i) => i.name === spec.name)) continue
          const index = {
            name: String(spec.name),
            key: spec.key as Record<string, 1 | -1>,
            unique: Boolean(spec.unique),
          }
          const seen = new Set<string>()
          for (const doc of coll.docs) {
            const key = keyOf(doc, index)
            if (index.unique && seen.has(key))
              throw new CommandError(
                11000,
                'DuplicateKey',
                `E11000 duplicate key error index: ${index.name}`,
              )
            seen.add(key)
          }
          coll.indexes.push(index)
        }
        return {
          numIndexesBefore: before,
          numIndexesAfter: coll.indexes.length,
          createdCollectionAutomatically: before === 1,
          ok: 1,
        }
      }
      case 'listindexes': {
        const coll = collection(db, String(command.listIndexes), false)
        if (!coll)
          throw new CommandError(
            26,
            'NamespaceNotFound',
            `ns does not exist: ${db}.${command.listIndexes}`,
          )
        return cursorReply(
          `${db}.${command.listIndexes}`,
          coll.indexes.map((i) => ({
            v: 2,
            key: i.key,
            name: i.name,
            ...(i.unique && i.name !== '_id_' ? { unique: true } : {}),
          })),
          undefined,
        )
      }
      case 'drop': {
        const dropped = databases.get(db)?.delete(String(command.drop))
        if (!dropped) throw new CommandError(26, 'NamespaceNotFound', 'ns not found')
        return { nIndexesWas: 1, ns: `${db}.${command.drop}`, ok: 1 }
      }
      default:
        throw new CommandError(59, 'CommandNotFound', `no such command: '${name}'`)
    }
  }

  return {
    execute(command: Document): Document {
      try {
        return run(command)
      } catch (error) {
        if (error instanceof CommandError)
          return { ok: 0, errmsg: error.message, code: error.code, codeName: error.codeName }
        return {
          ok: 0,
          errmsg: error instanceof Error ? error.message : String(error),
          code: 8000,
          codeName: 'InternalError',
        }
      }
    },
    /** Stored documents, for assertions that bypass the bridge. */
    documents: (db: string, name: string) => collection(db, name, false)?.docs ?? [],
  }
}
