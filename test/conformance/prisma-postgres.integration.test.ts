import pg from 'pg'
import { afterAll } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { prismaModel } from '../../adapters/prisma/prisma-adapter'
import { makeTestApp, testAdapter } from '../helpers/test-app'
import { CONFORMANCE_ENV, defineAdapterConformance } from './data-adapter-suite'
import { notesResource } from './notes-resource'

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
  const t = await makeTestApp(CONFORMANCE_ENV, {
    adapters: [
      testAdapter({
        resources: [
          notesResource(
            prismaModel({ client: () => db.client, model: 'note', provider: 'postgresql' }),
          ),
        ],
      }),
    ],
  })
  const app = t.app
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
