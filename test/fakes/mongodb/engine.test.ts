import { MongoClient } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMongoWireServer } from './server'

let server: Awaited<ReturnType<typeof startMongoWireServer>>
let client: MongoClient
beforeAll(async () => {
  server = await startMongoWireServer()
  client = new MongoClient(server.url)
  await client.connect()
})
afterAll(async () => {
  await client.close()
  await server.close()
})

describe('the local MongoDB wire-protocol server', () => {
  it('answers the handshake, ping and buildInfo like a standalone 7.0 server', async () => {
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 })
    expect(await client.db('admin').command({ buildInfo: 1 })).toMatchObject({ version: '7.0.0' })
    expect(server.commands.some((c) => /^(hello|isMaster|ismaster)$/.test(c))).toBe(true)
  })

  it('pages a large find through getMore and killCursors', async () => {
    const c = client.db('e').collection('big')
    await c.insertMany(Array.from({ length: 350 }, (_, i) => ({ i })))
    expect((await c.find({}).sort({ i: -1 }).batchSize(50).toArray()).map((d) => d.i)).toEqual(
      Array.from({ length: 350 }, (_, i) => 349 - i),
    )
    const cursor = c.find({}).batchSize(10)
    await cursor.next()
    await cursor.close()
    expect(server.commands).toEqual(expect.arrayContaining(['getMore', 'killCursors']))
  })

  it('enforces unique indexes and lists them', async () => {
    const c = client.db('e').collection('uniq')
    await c.createIndex({ email: 1 }, { unique: true })
    await c.insertOne({ email: 'a' })
    await expect(c.insertOne({ email: 'a' })).rejects.toMatchObject({ code: 11000 })
    await c.insertOne({ email: 'b' })
    await expect(c.updateOne({ email: 'b' }, { $set: { email: 'a' } })).rejects.toMatchObject({
      code: 11000,
    })
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'email_1'])
  })

  it('counts, aggregates, deletes and drops', async () => {
    const c = client.db('e').collection('agg')
    await c.insertMany([{ k: 1 }, { k: 2 }, { k: 3 }])
    expect(await c.countDocuments({ k: { $gte: 2 } })).toBe(2)
    expect(
      await c
        .aggregate([
          { $match: { k: { $gt: 1 } } },
          { $sort: { k: -1 } },
          { $skip: 1 },
          { $limit: 1 },
        ])
        .toArray(),
    ).toMatchObject([{ k: 2 }])
    expect(await c.aggregate([{ $count: 'n' }]).toArray()).toEqual([{ n: 3 }])
    expect((await c.deleteMany({ k: { $lt: 3 } })).deletedCount).toBe(2)
    expect(await c.drop()).toBe(true)
  })

  it('refuses what it cannot honour: transactions, $where, unknown commands and pipeline stages', async () => {
    const session = client.startSession()
    try {
      session.startTransaction()
      await expect(
        client.db('e').collection('tx').insertOne({ a: 1 }, { session }),
      ).rejects.toThrow(/replica set|transactions|retryable writes/)
    } finally {
      await session.abortTransaction().catch(() => {})
      await session.endSession()
    }
    await expect(client.db('e').collection('x').find({ $where: 'true' }).toArray()).rejects.toThrow(
      /\$where/,
    )
    await expect(client.db('e').command({ replSetGetStatus: 1 })).rejects.toMatchObject({
      code: 59,
    })
    await expect(
      client
        .db('e')
        .collection('x')
        .aggregate([{ $lookup: { from: 'y', localField: 'a', foreignField: 'b', as: 'c' } }])
        .toArray(),
    ).rejects.toThrow(/Unrecognized pipeline stage/)
  })
})
