import Database from 'better-sqlite3'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { prismaModel } from '../../adapters/prisma/prisma-adapter'
import { defineAdapterConformance } from './data-adapter-suite'
import { notesApp } from './notes-resource'

let database: PrismaDatabase | undefined
afterAll(() => database?.close())

defineAdapterConformance('prisma on SQLite (better-sqlite3)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bk-sqlite-'))
  database = await openPrismaDatabase({ dataDir: dir })
  const db = database
  const app = await notesApp(
    prismaModel({ client: () => db.client, model: 'note', provider: 'sqlite' }),
  )
  const sql = new Database(join(dir, 'bridgekeeper.db'))
  return {
    app,
    reset: async () => {
      sql.prepare('DELETE FROM "Note"').run()
    },
    raw: async (id) => {
      const row = sql
        .prepare('SELECT title, body, done, priority, ownerId, secret FROM "Note" WHERE id = ?')
        .get(id) as Record<string, unknown> | undefined
      return row ? { ...row, done: row.done === 1 } : null
    },
  }
})
