import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { posts } from '../../adapters/app/resources'
import { onPrisma } from '../helpers/drivers'
import { redisAdapter } from '../../adapters/redis'
import { ConfigError } from '../../src/config/config'
import { REDIS_URL } from '../helpers/redis'
import { asSession, bearerSession } from '../helpers/sign-in'
import { makeTestApp, testAdapter, type TestApp } from '../helpers/test-app'

const ADMIN = 'audit-admin-key-0123456789abcdefghijklmnop'
const suffix = Math.random().toString(36).slice(2, 8)
const PREFIX = `bkt:audit:${suffix}:`
const STREAM = `bkt:audit-stream:${suffix}`
const redis = new Redis(REDIS_URL)
let database: PrismaDatabase
let t: TestApp

beforeAll(async () => {
  database = await openPrismaDatabase({ dataDir: await mkdtemp(join(tmpdir(), 'bk-audit-')) })
  t = await makeTestApp(
    {
      ADMIN_API_KEY: ADMIN,
      REDIS_URL,
      STORE_KEY_PREFIX: PREFIX,
      AUDIT_STREAM: STREAM,
      AUDIT_STREAM_MAX_LENGTH: '1000',
    },
    {
      adapters: [
        redisAdapter,
        testAdapter({
          resources: [onPrisma(posts, { client: () => database.client, provider: 'sqlite' })],
        }),
      ],
    },
  )
})
afterAll(async () => {
  await t.close()
  await database.close()
  const keys = await redis.keys(`${PREFIX}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.del(STREAM, `${STREAM}:broken`)
  redis.disconnect()
})

type Event = Record<string, unknown> & { event: string; id: string; time: string }

/** Reads the whole trail of one user back through the admin route, page by page. */
async function trailOf(userId: string, limit = 2): Promise<Event[]> {
  const events: Event[] = []
  let cursor: string | null = null
  do {
    const query = new URLSearchParams({ userId, limit: String(limit) })
    if (cursor) query.set('cursor', cursor)
    const response = await t.app.request(`/v1/admin/audit?${query}`, {
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    expect(response.status).toBe(200)
    const page = (await response.json()) as { events: Event[]; nextCursor: string | null }
    expect(page.events.length).toBeLessThanOrEqual(limit)
    events.push(...page.events)
    cursor = page.nextCursor
  } while (cursor)
  return events
}

/** Audit events are appended without holding up the response: wait for the stream to catch up. */
async function settled() {
  const before = await redis.xlen(STREAM)
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(await redis.xlen(STREAM)).toBeGreaterThanOrEqual(before)
}

describe('the audit trail', () => {
  it('records mints, writes, refusals and session revocations with the documented fields, and no secret', async () => {
    const alice = await bearerSession(t, 'audit-alice')
    const bob = await bearerSession(t, 'audit-bob')
    const mint = await asSession(t, alice.secret, '/v1/tokens/hasura', { method: 'POST' })
    const { token } = (await mint.json()) as { token: string }
    const json = { 'Content-Type': 'application/json' }
    const created = await asSession(t, bob.secret, '/v1/data/posts', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ title: 'bob writes' }),
    })
    expect(created.status).toBe(201)
    const bobPost = ((await created.json()) as { id: string }).id
    // Alice tries to edit Bob's post, then to forge the author of her own: both refused.
    const edit = await asSession(t, alice.secret, `/v1/data/posts/${bobPost}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ title: 'mine now' }),
    })
    expect(edit.status).toBe(404)
    const forged = await asSession(t, alice.secret, '/v1/data/posts', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ title: 'forged', authorId: 'audit-bob' }),
    })
    expect(forged.status).toBe(422)
    const forgedCode = ((await forged.json()) as { code: string }).code
    const revoke = await asSession(t, alice.secret, `/v1/sessions/${alice.id}`, {
      method: 'DELETE',
    })
    expect(revoke.status).toBe(204)
    await settled()

    const trail = await trailOf('audit-alice')
    const names = trail.map((e) => e.event)
    expect(names).toEqual([
      'session.created',
      'token.minted',
      'data.refused',
      'data.refused',
      'session.revoked',
    ])
    const [session, minted, notHers, forgery, revoked] = trail
    expect(session).toMatchObject({
      userId: 'audit-alice',
      sessionId: alice.id,
      transport: 'bearer',
    })
    expect(minted).toMatchObject({ template: 'hasura', userId: 'audit-alice', audience: 'hasura' })
    expect(minted?.jti).toBeTypeOf('string')
    expect(minted?.kid).toMatch(/^key_/)
    expect(Date.parse(String(minted?.expiresAt))).toBeGreaterThan(Date.now())
    expect(notHers).toMatchObject({
      resource: 'posts',
      operation: 'update',
      rowId: bobPost,
      code: 'not_found',
    })
    expect(forgery).toMatchObject({ resource: 'posts', operation: 'create', code: forgedCode })
    expect(revoked).toMatchObject({ sessionId: alice.id, by: 'user' })
    for (const event of trail) {
      expect(event.id).toMatch(/^evt_/)
      expect(event.requestId).toMatch(/^req_/)
      expect(Date.parse(event.time)).not.toBeNaN()
    }
    const bobs = await trailOf('audit-bob')
    expect(bobs.map((e) => e.event)).toEqual(['session.created', 'data.created'])
    expect(bobs[1]).toMatchObject({ resource: 'posts', rowIds: [bobPost] })

    // Nothing secret anywhere in the stream: not a session secret, not a minted token.
    const raw = JSON.stringify(await redis.xrange(STREAM, '-', '+'))
    for (const secret of [alice.secret, bob.secret, token, ADMIN]) expect(raw).not.toContain(secret)
    expect(raw).not.toContain(token.split('.')[2])
  })

  it('records every admin call, refused ones too, and reads back from a time on', async () => {
    const since = new Date(t.clock.now()).toISOString()
    const wrong = await t.app.request('/v1/admin/keys', {
      headers: { Authorization: 'Bearer not-the-admin-key-at-all-0123456789' },
    })
    expect(wrong.status).toBe(401)
    const rotate = await t.app.request('/v1/admin/keys/rotate', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    // The test bridge's keys are static (SIGNING_KEYS): a rotation is refused, and audited.
    expect(rotate.status).toBe(409)
    await settled()
    const response = await t.app.request(
      `/v1/admin/audit?since=${encodeURIComponent(since)}&limit=50`,
      { headers: { Authorization: `Bearer ${ADMIN}` } },
    )
    const { events } = (await response.json()) as { events: Event[] }
    const calls = events.filter((e) => e.event === 'admin.call')
    expect(calls).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'GET', status: 401 }),
        expect.objectContaining({ method: 'POST', route: '/v1/admin/keys/rotate', status: 409 }),
      ]),
    )
    for (const event of events)
      expect(Date.parse(event.time)).toBeGreaterThanOrEqual(Date.parse(since))
    expect(JSON.stringify(events)).not.toContain('not-the-admin-key')
  })

  it('refuses a malformed cursor or time with a problem, and answers 501 without a stream', async () => {
    const bad = await t.app.request('/v1/admin/audit?cursor=abc', {
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    expect(bad.status).toBe(422)
    expect(bad.headers.get('content-type')).toContain('application/problem+json')
    const plain = await makeTestApp({ ADMIN_API_KEY: ADMIN })
    const none = await plain.app.request('/v1/admin/audit', {
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    expect(none.status).toBe(501)
    expect(await none.json()).toMatchObject({ code: 'not_configured' })
    // The log is still the record: the same events are written there.
    await bearerSession(plain, 'log-only')
    expect(
      plain.logs.some((l) => l.includes('"event":"session.created"') && l.includes('"audit":true')),
    ).toBe(true)
  })

  it('keeps answering when the stream refuses a write, and logs that the event was not stored', async () => {
    await redis.set(`${STREAM}:broken`, 'not a stream')
    const broken = await makeTestApp(
      { REDIS_URL, STORE_KEY_PREFIX: PREFIX, AUDIT_STREAM: `${STREAM}:broken` },
      { adapters: [redisAdapter] },
    )
    const { secret } = await bearerSession(broken, 'audit-carol')
    expect((await asSession(broken, secret, '/v1/tokens/hasura', { method: 'POST' })).status).toBe(
      200,
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    const unrecorded = broken.logs.filter((l) => l.includes('audit.unrecorded'))
    expect(unrecorded.length).toBeGreaterThanOrEqual(2)
    expect(unrecorded.join('\n')).not.toContain(secret)
    await broken.close()
  })

  it('refuses AUDIT_STREAM without REDIS_URL at start-up', async () => {
    await expect(
      makeTestApp({ AUDIT_STREAM: 'bk:audit' }, { adapters: [redisAdapter] }),
    ).rejects.toThrow(ConfigError)
  })
})
