import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { posts } from '../../adapters/app/resources'
import { onPrisma } from '../helpers/drivers'
import { definePolicyCases } from '../helpers/policy-cases'

// The example of docs/data.md "Testing your policies": the posts resource on an embedded SQLite.
let database: PrismaDatabase | undefined
afterAll(() => database?.close())

definePolicyCases('posts (Prisma on SQLite)', {
  resource: async () => {
    database = await openPrismaDatabase({ dataDir: await mkdtemp(join(tmpdir(), 'bk-policy-')) })
    const db = database
    return onPrisma(posts, { client: () => db.client, provider: 'sqlite' })
  },
  reset: async () => {
    await (
      database?.client as { $executeRawUnsafe(sql: string): Promise<unknown> }
    ).$executeRawUnsafe('DELETE FROM "Post"')
  },
  rows: {
    alicesPost: { title: 'Alice writes', authorId: 'alice', authorEmail: 'alice@example.com' },
    bobsPost: { title: 'Bob writes', authorId: 'bob', authorEmail: 'bob@example.com' },
  },
  // Cases run in order, and writes stay: the delete comes last.
  cases: [
    { user: 'alice', operation: 'list', expected: 'allowed', sees: ['alicesPost', 'bobsPost'] },
    { user: 'alice', operation: 'get', row: 'bobsPost', expected: 'allowed' },
    {
      user: 'alice',
      operation: 'update',
      row: 'alicesPost',
      body: { title: 'Mine' },
      expected: 'allowed',
    },
    {
      user: 'alice',
      operation: 'update',
      row: 'bobsPost',
      body: { title: 'Mine now' },
      expected: 'not_found',
    },
    {
      user: 'alice',
      operation: 'update',
      row: 'alicesPost',
      body: { views: 1000 },
      expected: 'field_not_writable',
    },
    { user: 'alice', operation: 'create', body: { title: 'New' }, expected: 'allowed' },
    {
      user: 'alice',
      operation: 'create',
      body: { title: 'Forged', authorId: 'bob' },
      expected: 'field_not_writable',
    },
    { user: 'bob', operation: 'delete', row: 'alicesPost', expected: 'not_found' },
    { user: 'alice', operation: 'delete', row: 'alicesPost', expected: 'allowed' },
  ],
})
