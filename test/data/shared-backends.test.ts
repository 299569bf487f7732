import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { airtableTable } from '../../adapters/airtable/airtable-adapter'
import { mongoPosts } from '../../adapters/app/resources'
import { onMongo } from '../helpers/drivers'
import { notesResource } from '../conformance/notes-resource'
import { startLocalAirtable } from '../fakes/airtable/server'
import { dataClient } from '../helpers/data-client'
import { testMongo } from '../helpers/mongo'
import { makeTestApp, testAdapter } from '../helpers/test-app'

const TOKEN = 'patSharedBudget01.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
const BASE = 'appSharedBudget001'
let airtable: Awaited<ReturnType<typeof startLocalAirtable>>

beforeAll(async () => {
  // Airtable's real budget: 5 requests per second per base.
  airtable = await startLocalAirtable({ token: TOKEN, bases: { [BASE]: ['Notes'] } })
})
afterAll(() => airtable.close())

async function notesBridge(maxWaitMs: number) {
  const backend = airtableTable({
    baseId: BASE,
    table: 'Notes',
    connection: () => ({ token: TOKEN, endpointUrl: airtable.url, maxWaitMs }),
  })
  const t = await makeTestApp(
    { AUTH_FAILURE_LIMIT: '100000', DATA_PER_USER: '100000' },
    { adapters: [testAdapter({ resources: [notesResource(backend)] })] },
  )
  return t.app
}

describe('a backend budget all users share (Airtable)', () => {
  it('gives each user a share, so one user hammering it gets 429 and another is still served', async () => {
    const app = await notesBridge(3000)
    const [greedy, patient] = [
      await dataClient(app, 'notes', 'greedy'),
      await dataClient(app, 'notes', 'patient'),
    ]
    const burst = await Promise.all(Array.from({ length: 10 }, async () => greedy('GET')))
    const statuses = burst.map((r) => r.status)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7)
    expect(burst.find((r) => r.status === 429)?.body).toMatchObject({ code: 'rate_limited' })
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true)
    const served = await patient('GET')
    expect(served.status).toBe(200)
  })

  it('answers a batch that fails half-way with exactly the records it created', async () => {
    airtable.clear(BASE, 'Notes')
    const app = await notesBridge(0)
    const as = await dataClient(app, 'notes', 'batcher')
    const batch = Array.from({ length: 25 }, (_, i) => ({
      title: `N${i}`,
      priority: i,
      done: false,
    }))
    const response = await as('POST', '', batch)
    // The second request to Airtable had no budget left within 0 ms: 503, with what was written.
    expect(response.status).toBe(503)
    const created = response.body.created as { id: string; fields: Record<string, unknown> }[]
    expect(created).toHaveLength(10)
    for (const row of created) {
      expect(row.id).toMatch(/^rec/)
      expect(row.fields).not.toHaveProperty('secret')
    }
    await new Promise((resolve) => setTimeout(resolve, 300)) // Airtable's own clock: the real budget
    const listed = await as('GET', '?limit=100')
    expect((listed.body.data as { id: string }[]).map((r) => r.id).sort()).toEqual(
      created.map((r) => r.id).sort(),
    )
  })
})

describe('a batch insert that stops half-way (MongoDB, ordered)', () => {
  it('answers the conflict with exactly the documents written before it', async () => {
    const mongo = await testMongo(`bk_partial_${Math.random().toString(36).slice(2, 8)}`)
    try {
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
      const as = await dataClient(t.app, 'posts', 'ada')
      expect((await as('POST', '', { title: 'Existing' })).status).toBe(201)
      const response = await as('POST', '', [
        { title: 'One' },
        { title: 'Two' },
        { title: 'Existing' },
        { title: 'Four' },
      ])
      expect(response.status).toBe(409)
      const created = response.body.created as { fields: { title: string } }[]
      expect(created.map((r) => r.fields.title)).toEqual(['One', 'Two'])
      const listed = await as('GET', '?limit=100')
      expect((listed.body.data as unknown[]).length).toBe(3)
    } finally {
      await mongo.close()
    }
  })
})
