import pg from 'pg'
import { afterAll } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { prismaModel } from '../../adapters/prisma/prisma-adapter'
import { defineAdapterConformance } from './data-adapter-suite'
import { notesApp } from './notes-resource'

import { POSTGRES_URL } from '../helpers/postgres'
const schema = `bk_notes_${Math.random().toString(36).slice(2, 8)}`
let database: PrismaDatabase | undefined
afterAll(async () => {
  await database?.close()
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
})

defineAdapterConformance('prisma on PostgreSQL (real server)', async () => {
  database = await openPrismaDatabase({ url: POSTGRES_URL, dataDir: '.data', schema })
  const db = database
  const app = await notesApp(
    prismaModel({ client: () => db.client, model: 'note', provider: 'postgresql' }),
  )
  const sql = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 })
  return {
    app,
    reset: async () => {
      await sql.query(`DELETE FROM "${schema}"."Note"`)
    },
    raw: async (id) =>
      (
        await sql.query(
          `SELECT title, body, done, priority, "ownerId", secret FROM "${schema}"."Note" WHERE id = $1`,
          [id],
        )
      ).rows[0] ?? null,
  }
})
