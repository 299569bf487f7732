import { MongoClient } from 'mongodb'
import type { ResourceDefinition } from '../src/data/resource'
import { mongoPosts } from './mongodb'
import { parseMongoEnv } from './mongodb/config'

/**
 * Resources whose drivers run on Node only (the Workers entry never imports this file): the
 * MongoDB example, when MONGODB_URL is set. The client connects lazily and reconnects by itself.
 */
export function loadNodeResources(env: Record<string, unknown>): { ok: true; resources: ResourceDefinition[]; close: () => Promise<void>; labels: string[] } | { ok: false; problems: string[] } {
  const mongo = parseMongoEnv(env)
  if (!mongo.ok) return mongo
  if (!mongo.env) return { ok: true, resources: [], close: async () => {}, labels: [] }
  const client = new MongoClient(mongo.env.url, { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000 })
  const db = client.db(mongo.env.database)
  return {
    ok: true,
    resources: [mongoPosts({ db: () => db })],
    close: () => client.close(),
    labels: [`mongodb database ${mongo.env.database}`],
  }
}
