import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { openD1Database } from './d1-database'
import { prismaDriver } from './prisma-adapter'

/**
 * The Prisma driver over a D1 binding named `DB` (Workers). The client is made once per
 * isolate: it holds no socket, unlike a TCP driver.
 */
export const prismaD1Adapter = defineAdapter({
  id: 'prisma-d1',
  env: z.object({}),
  runtimes: ['workers'],
  enabled: (_env, { bindings }) => bindings.DB !== undefined,
  hint: 'bind a D1 database as DB',
  setup(_env, { bindings }) {
    const client = openD1Database(bindings.DB)
    return {
      drivers: { prisma: prismaDriver({ client: () => client, provider: 'sqlite' }) },
      summary: ['D1 binding DB'],
    }
  },
})
