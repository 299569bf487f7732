import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'
import { openD1Database } from './d1-database'
import { posts } from './posts'
import { teamNotes } from './team-notes'

/**
 * The `posts` example on Prisma over a D1 binding named `DB` (Workers). The client is made once
 * per isolate: it holds no socket, unlike a TCP driver.
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
      resources: [
        posts({ client: () => client, provider: 'sqlite' }),
        teamNotes({ client: () => client, provider: 'sqlite' }),
      ],
      summary: ['/v1/data/posts and /v1/data/team-notes on D1'],
    }
  },
})
