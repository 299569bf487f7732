import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'

const mongoEnv = z.object({
  MONGODB_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// or mongodb+srv:// URL' })
    .optional()
    .describe('Secret: serves the `mongo-posts` example from MongoDB (Node only)'),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, { message: 'must be a database name' })
    .default('bridgekeeper')
    .describe('The database of the MongoDB resources'),
})

/**
 * The MongoDB example (`mongo-posts`), Node only: the official driver needs TCP sockets. The
 * client connects lazily and reconnects by itself; the driver is loaded only when configured.
 */
export const mongodbAdapter = defineAdapter({
  id: 'mongodb',
  env: mongoEnv,
  runtimes: ['node'],
  enabled: (env) => env.MONGODB_URL !== undefined,
  hint: 'set MONGODB_URL',
  async setup(env) {
    const [{ MongoClient }, { mongoPosts }] = await Promise.all([
      import('mongodb'),
      import('./posts'),
    ])
    const client = new MongoClient(env.MONGODB_URL ?? '', {
      serverSelectionTimeoutMS: 3000,
      connectTimeoutMS: 3000,
    })
    const db = client.db(env.MONGODB_DATABASE)
    return {
      resources: [mongoPosts({ db: () => db })],
      summary: [`/v1/data/mongo-posts on database ${env.MONGODB_DATABASE}`],
      close: () => client.close(),
    }
  },
})
