import { MongoClient } from 'mongodb'
import { startMongoWireServer } from '../fakes/mongodb/server'

/**
 * A MongoDB for tests: the real one at MONGODB_URL when set, otherwise the local wire-protocol
 * server. Either way the official driver talks to it over TCP.
 */
export async function testMongo(database: string) {
  const local = process.env.MONGODB_URL ? undefined : await startMongoWireServer()
  const url = process.env.MONGODB_URL ?? local?.url ?? ''
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000 })
  await client.connect()
  return {
    kind: local ? 'local wire-protocol server' : 'MONGODB_URL',
    url,
    client,
    db: client.db(database),
    async close() {
      if (!local)
        await client
          .db(database)
          .dropDatabase()
          .catch(() => {})
      await client.close()
      await local?.close()
    },
  }
}
