import { ObjectId } from 'mongodb'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mongoPosts } from '../../adapters/app/resources'
import { onMongo } from '../helpers/drivers'
import type { App } from '../../src/assembly/create-app'
import { testMongo } from '../helpers/mongo'
import { dataClient } from '../helpers/data-client'
import { makeTestApp, testAdapter } from '../helpers/test-app'

let mongo: Awaited<ReturnType<typeof testMongo>>
let app: App

beforeAll(async () => {
  mongo = await testMongo(`bk_posts_${Math.random().toString(36).slice(2, 8)}`)
  const t = await makeTestApp(
    { AUTH_FAILURE_LIMIT: '100000', DATA_PER_USER: '100000' },
    {
      adapters: [
        testAdapter({
          resources: [{ ...onMongo(mongoPosts, { db: () => mongo.db }), name: 'posts' }],
        }),
      ],
    },
  )
  app = t.app
})
afterAll(() => mongo.close())
beforeEach(async () => {
  await mongo.db.collection('posts').deleteMany({})
})

const as = (user: string) => dataClient(app, 'posts', user)
const stored = (id: string) => mongo.db.collection('posts').findOne({ _id: new ObjectId(id) })

describe(`posts on MongoDB (${process.env.MONGODB_URL ? 'MONGODB_URL' : 'local wire-protocol server'})`, () => {
  it('sets author fields, views and createdAt on the server, and refuses them from the client', async () => {
    const ada = await as('ada')
    const created = await ada('POST', '', { title: 'Hello' })
    expect(created.status).toBe(201)
    expect(created.body.id).toMatch(/^[0-9a-f]{24}$/)
    expect(created.body.fields).toMatchObject({
      title: 'Hello',
      authorId: 'ada',
      authorEmail: 'ada@example.com',
      views: 0,
    })
    expect((await stored(created.body.id))?.createdAt).toBeInstanceOf(Date)
    for (const body of [
      { title: 'x', authorId: 'bob' },
      { title: 'x', views: 99 },
      { title: 'x', createdAt: '2020-01-01T00:00:00Z' },
    ]) {
      expect((await ada('POST', '', body)).status).toBe(422)
    }
  })

  it('lists without a 500 when a document written elsewhere has a non-ObjectId _id, and leaves it out', async () => {
    const ada = await as('ada')
    const created = await ada('POST', '', { title: 'Mine' })
    expect(created.status).toBe(201)
    // Written by another program: string and numeric ids, owned by the same user.
    await mongo.db.collection<{ _id: unknown; [field: string]: unknown }>('posts').insertMany([
      {
        _id: 'legacy-1',
        title: 'Legacy',
        authorId: 'ada',
        authorEmail: 'ada@example.com',
        views: 0,
      },
      { _id: 42, title: 'Numbered', authorId: 'ada', authorEmail: 'ada@example.com', views: 0 },
    ])
    const listed = await ada('GET', '?limit=1')
    expect(listed.status).toBe(200)
    const all = await ada('GET', '?limit=100')
    expect(all.status).toBe(200)
    expect((all.body.data as { id: string }[]).map((row) => row.id)).toEqual([created.body.id])
    expect((await ada('GET', '/legacy-1')).status).toBe(404)
  })

  it('refuses operator injection in bodies and filters', async () => {
    const ada = await as('ada')
    const bob = await as('bob')
    const bobs = await bob('POST', '', { title: 'Bob' })
    const mine = await ada('POST', '', { title: 'Mine' })
    for (const body of [
      { authorId: { $ne: null } },
      { $where: 'true' },
      { title: { $ne: null } },
      { 'title.x': 'a' },
      { $set: { authorId: 'ada' } },
    ]) {
      const response = await ada('PATCH', `/${mine.body.id}`, body)
      expect(response.status, JSON.stringify(body)).toBe(422)
    }
    expect((await ada('PATCH', `/${bobs.body.id}`, { title: 'x' })).status).toBe(404)
    for (const query of [
      'filter[authorId][$ne]=',
      'filter[$where]=true',
      'filter[authorId][ne]=x&filter[$or]=1',
      'filter[title.x]=1',
    ]) {
      const response = await ada('GET', `?${query}`)
      expect(response.status, query).toBe(422)
    }
    expect((await stored(bobs.body.id))?.title).toBe('Bob')
    // A JSON body whose key is "__proto__" or "constructor" is just an unknown field.
    expect(
      (await ada('PATCH', `/${mine.body.id}`, undefined, '{"__proto__": {"authorId": "bob"}}'))
        .status,
    ).toBe(422)
  })

  it("lets everyone read, but not edit or delete another's post (404, unchanged)", async () => {
    const ada = await as('ada')
    const bob = await as('bob')
    const post = await ada('POST', '', { title: 'Ada', body: 'original' })
    expect((await bob('GET', `/${post.body.id}`)).status).toBe(200)
    expect((await bob('PATCH', `/${post.body.id}`, { body: 'defaced' })).status).toBe(404)
    expect((await bob('DELETE', `/${post.body.id}`)).status).toBe(404)
    expect((await bob('GET', '/not-an-object-id')).status).toBe(404)
    expect(await stored(post.body.id)).toMatchObject({ body: 'original', authorId: 'ada' })
  })

  it('answers 409 for a duplicate title by the same author (unique index)', async () => {
    const ada = await as('ada')
    const bob = await as('bob')
    expect((await ada('POST', '', { title: 'Same' })).status).toBe(201)
    const duplicate = await ada('POST', '', { title: 'Same' })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body).toMatchObject({ code: 'conflict', fields: ['authorId', 'title'] })
    expect((await bob('POST', '', { title: 'Same' })).status).toBe(201)
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
    expect(results.filter((_, i) => i % 2 === 0).every((r) => r.status === 404)).toBe(true)
    expect(results.filter((_, i) => i % 2 === 1).every((r) => r.status === 200)).toBe(true)
    expect(String((await stored(post.body.id))?.body)).toMatch(/^ada-/)
  })
})
