import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { prismaModel } from '../../adapters/prisma/prisma-adapter'
import { notesApp } from '../conformance/notes-resource'

let database: PrismaDatabase | undefined
afterAll(() => database?.close())

describe('a value the database requires', () => {
  it('is named when it is missing: 422 with the field, not just "the database refused a value"', async () => {
    const db = (database = await openPrismaDatabase({
      dataDir: await mkdtemp(join(tmpdir(), 'bk-refused-')),
    }))
    const app = await notesApp(
      prismaModel({ client: () => db.client, model: 'note', provider: 'sqlite' }),
    )
    const token = (await (
      await app.request('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sub: 'no-title' }),
      })
    ).json()) as { token: string }
    // `title` is required by the Note model, and the notes policy lets a client leave it out.
    const response = await app.request('/v1/data/notes', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ priority: 1 }),
    })
    expect(response.status).toBe(422)
    const body = (await response.json()) as { code: string; field?: string; detail?: string }
    expect(body).toMatchObject({ code: 'invalid_value', field: 'title' })
    expect(body.detail).toContain('title')
  })
})
