import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'

const mongoEnv = z.object({
  MONGODB_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// or mongodb+srv:// URL' })
    .optional()
    .describe('Secret: the MongoDB the `mongodb.collection(…)` resources live in (Node only)'),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, { message: 'must be a database name' })
    .default('bridgekeeper')
    .describe('The database of the MongoDB resources'),
})

/**
 * The MongoDB driver, Node only: the official driver needs TCP sockets. The
 * client connects lazily and reconnects by itself; the driver is loaded only when configured.
 */
export const mongodbAdapter = defineAdapter({
  id: 'mongodb',
  env: mongoEnv,
  runtimes: ['node'],
  enabled: (env) => env.MONGODB_URL !== undefined,
  hint: 'set MONGODB_URL',
  async setup(env) {
    const [{ MongoClient }, { mongoDriver }] = await Promise.all([
      import('mongodb'),
      import('./mongo-adapter'),
    ])
    const client = new MongoClient(env.MONGODB_URL ?? '', {
      serverSelectionTimeoutMS: 3000,
      connectTimeoutMS: 3000,
    })
    const db = client.db(env.MONGODB_DATABASE)
    return {
      drivers: { mongodb: mongoDriver({ db: () => db }) },
      summary: [`database ${env.MONGODB_DATABASE}`],
      close: () => client.close(),
    }
  },
})
