import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { posts } from '../../adapters/app/resources'
import { onPrisma } from '../helpers/drivers'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import type { App } from '../../src/assembly/create-app'
import { POSTGRES_URL } from '../helpers/postgres'
import { startTcpProxy } from '../helpers/tcp-proxy'
import { dataClient } from '../helpers/data-client'
import { makeTestApp, testAdapter } from '../helpers/test-app'

const schema = `bk_posts_${Math.random().toString(36).slice(2, 8)}`
let database: PrismaDatabase
let app: App
const sql = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 })

beforeAll(async () => {
  database = await openPrismaDatabase({ url: POSTGRES_URL, dataDir: '.data', schema })
  const t = await makeTestApp(
    { AUTH_FAILURE_LIMIT: '100000', DATA_PER_USER: '100000' },
    {
      adapters: [
        testAdapter({
          resources: [onPrisma(posts, { client: () => database.client, provider: 'postgresql' })],
        }),
      ],
    },
  )
  app = t.app
})
afterAll(async () => {
  await database.close()
  await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await sql.end()
})
beforeEach(async () => {
  await sql.query(`DELETE FROM "${schema}"."Post"`)
})

const as = (user: string) => dataClient(app, 'posts', user)
const stored = async (id: string) =>
  (
    await sql.query(
      `SELECT title, body, views, "authorId", "authorEmail" FROM "${schema}"."Post" WHERE id = $1`,
      [id],
    )
  ).rows[0]

describe('posts on PostgreSQL', () => {
  it('sets the author fields from the principal and refuses them from the client', async () => {
    const ada = await as('ada')
    const created = await ada('POST', '', { title: 'Hello', body: 'World' })
    expect(created.status).toBe(201)
    expect(created.body.fields).toMatchObject({
      title: 'Hello',
      authorId: 'ada',
      authorEmail: 'ada@example.com',
      views: 0,
    })
    expect(typeof created.body.fields.createdAt).toBe('string')
    for (const [body, code] of [
      [{ title: 'x', authorId: 'bob' }, 'field_not_writable'],
      [{ title: 'x', authorEmail: 'bob@example.com' }, 'field_not_writable'],
      [{ title: 'x', views: 1000 }, 'field_not_writable'],
      [{ title: 'x', createdAt: '2020-01-01T00:00:00Z' }, 'field_not_writable'],
    ] as const) {
      const refused = await ada('POST', '', body)
      expect(refused.status).toBe(422)
      expect(refused.body.code).toBe(code)
    }
    for (const body of [{ authorId: 'bob' }, { authorEmail: 'x@example.com' }, { views: 5 }]) {
      expect((await ada('PATCH', `/${created.body.id}`, body)).status).toBe(422)
    }
    expect(await stored(created.body.id)).toMatchObject({
      authorId: 'ada',
      authorEmail: 'ada@example.com',
      views: 0,
    })
  })

  it("lets everyone read every post, but not edit or delete another's (404, unchanged)", async () => {
    const ada = await as('ada')
    const bob = await as('bob')
    const post = await ada('POST', '', { title: "Ada's post", body: 'original' })
    const listed = await bob('GET', '')
    expect((listed.body as unknown as { data: { id: string }[] }).data.map((p) => p.id)).toContain(
      post.body.id,
    )
    expect((await bob('GET', `/${post.body.id}`)).status).toBe(200)
    expect((await bob('PATCH', `/${post.body.id}`, { body: 'defaced' })).status).toBe(404)
    expect((await bob('DELETE', `/${post.body.id}`)).status).toBe(404)
    expect(await stored(post.body.id)).toMatchObject({ body: 'original', authorId: 'ada' })
    expect((await ada('PATCH', `/${post.body.id}`, { body: 'edited' })).status).toBe(200)
    expect((await ada('DELETE', `/${post.body.id}`)).status).toBe(204)
  })

  it('answers 409 for a duplicate title by the same author, naming the fields', async () => {
    const ada = await as('ada')
    const bob = await as('bob')
    expect((await ada('POST', '', { title: 'Same' })).status).toBe(201)
    const duplicate = await ada('POST', '', { title: 'Same' })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body).toMatchObject({ code: 'conflict', fields: ['authorId', 'title'] })
    expect((await bob('POST', '', { title: 'Same' })).status).toBe(201)
    const other = await ada('POST', '', { title: 'Other' })
    expect((await ada('PATCH', `/${other.body.id}`, { title: 'Same' })).status).toBe(409)
  })

  it("keeps only the owner's change when owner and non-owner update at once", async () => {
    const ada = await as('ada')
    const bob = await as('bob')
    const post = await ada('POST', '', { title: 'Contested', body: 'v0' })
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? ada('PATCH', `/${post.body.id}`, { body: `ada-${i}` })
          : bob('PATCH', `/${post.body.id}`, { body: `bob-${i}` }),
      ),
    )
    expect(results.filter((r, i) => i % 2 === 0).every((r) => r.status === 404)).toBe(true)
    expect(results.filter((r, i) => i % 2 === 1).every((r) => r.status === 200)).toBe(true)
    expect(String((await stored(post.body.id)).body)).toMatch(/^ada-/)
  })
})

describe('a database that goes down', () => {
  it('answers 503 while PostgreSQL is unreachable and recovers by itself', async () => {
    const port = Number(new URL(POSTGRES_URL).port || 5432)
    const proxy = await startTcpProxy(port)
    const url = POSTGRES_URL.replace(/@[^/]+\//, `@127.0.0.1:${new URL(proxy.url).port}/`)
    const db = await openPrismaDatabase({ url, dataDir: '.data', schema })
    const t = await makeTestApp(
      { AUTH_FAILURE_LIMIT: '100000' },
      {
        adapters: [
          testAdapter({
            resources: [onPrisma(posts, { client: () => db.client, provider: 'postgresql' })],
          }),
        ],
      },
    )
    const local = t.app
    const login = (await (
      await local.request('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"sub":"x"}',
      })
    ).json()) as { token: string }
    const list = () =>
      local.request('/v1/data/posts', { headers: { Authorization: `Bearer ${login.token}` } })
    try {
      expect((await list()).status).toBe(200)
      await proxy.cut()
      const down = await list()
      expect(down.status).toBe(503)
      expect(await down.json()).toMatchObject({ code: 'backend_unavailable' })
      await proxy.restore()
      let status = 0
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await list()).status
        if (status !== 200) await new Promise((r) => setTimeout(r, 100))
      }
      expect(status).toBe(200)
    } finally {
      await db.close()
      await proxy.close()
    }
  })
})
