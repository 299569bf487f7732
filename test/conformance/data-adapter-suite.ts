import fc from 'fast-check'
import { beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../src/assembly/create-app'
import type { Operator } from '../../src/data/types'

export type ConformanceBackend = {
  app: App
  /** Empties the backend table/model/collection. */
  reset(): Promise<void>
  /** The stored row, read around the bridge (null when gone). */
  raw(id: string): Promise<Record<string, unknown> | null>
  /**
   * What this backend can't do, so the suite checks that the bridge refuses it instead of
   * checking that it works: filter operators the adapter's capabilities leave out.
   */
  lacks?: { operators?: readonly Operator[] }
}

type Json = Record<string, unknown>

/** The environment every conformance bridge runs with: budgets lifted, an admin key for `admin:` users. */
export const CONFORMANCE_ENV = {
  AUTH_FAILURE_LIMIT: '100000',
  DATA_PER_USER: '1000000',
  DATA_PER_IP: '1000000',
  SESSION_CREATE_PER_USER: '100000',
  SESSION_CREATE_PER_IP: '100000',
  ADMIN_API_KEY: 'conformance-admin-key-0123456789abcdef',
}

/**
 * How many cases the property test draws per backend: 10,000 in CI (PROPERTY_RUNS), a few
 * hundred by default so the unit tier stays quick.
 */
const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? 300)
type RecordView = { id: string; fields: Json }

/**
 * The one suite every data adapter must pass, through the HTTP surface: CRUD, every operator,
 * stable capped pagination, cross-user isolation, forced ownership, refused owner changes and
 * unwritable fields, injection attempts as literal values, and a property test.
 */
export function defineAdapterConformance(name: string, setup: () => Promise<ConformanceBackend>) {
  describe(`data adapter conformance: ${name}`, () => {
    let backend: ConformanceBackend
    const tokens = new Map<string, string>()
    /** The organization each test user's token names (a subject of the user's own issuer). */
    const orgOf = (user: string) => (user.endsWith('1') ? 'o1' : 'o2')

    /**
     * `name` signs in through the development issuer; `admin:name` is a session the admin key
     * made for the same subject `name` (another issuer, whose users are `admin:`-prefixed).
     */
    const login = async (user: string) => {
      const cached = tokens.get(user)
      if (cached) return cached
      if (user.startsWith('admin:')) {
        const made = await backend.app.request('/v1/admin/sessions', {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${CONFORMANCE_ENV.ADMIN_API_KEY}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ userId: user.slice('admin:'.length), orgId: orgOf(user) }),
        })
        const { secret } = (await made.json()) as { secret: string }
        tokens.set(user, secret)
        return secret
      }
      const response = await backend.app.request('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sub: user, email: `${user}@example.com`, orgId: orgOf(user) }),
      })
      const { token } = (await response.json()) as { token: string }
      tokens.set(user, token)
      return token
    }
    const call = (user: string, method: string, path: string, body?: unknown) =>
      callOn('notes', user, method, path, body)
    const callOn = async (
      resource: string,
      user: string,
      method: string,
      path: string,
      body?: unknown,
    ) => {
      const response = await backend.app.request(`/v1/data/${resource}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${await login(user)}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      return { status: response.status, body: (text ? JSON.parse(text) : null) as Json }
    }
    const create = async (user: string, fields: Json) => {
      const response = await call(user, 'POST', '', fields)
      expect(response.status, JSON.stringify(response.body)).toBe(201)
      return response.body as unknown as RecordView
    }
    const list = async (user: string, query = '') => {
      const response = await call(user, 'GET', query ? `?${query}` : '')
      expect(response.status, JSON.stringify(response.body)).toBe(200)
      return response.body as unknown as { data: RecordView[]; nextCursor: string | null }
    }

    beforeEach(async () => {
      backend ??= await setup()
      await backend.reset()
    })

    it('answers 422 for a NUL character in a filter or a written value, on every backend', async () => {
      await create('alice', { title: 'Plain', priority: 1, done: false })
      for (const query of [
        'filter[title]=a%00b',
        'filter[title][contains]=%00',
        'filter[title][in]=x%00',
      ]) {
        const refused = await call('alice', 'GET', `?${query}`)
        expect(refused.status, query).toBe(422)
        expect(refused.body).toMatchObject({ code: 'invalid_value', field: 'title' })
      }
      const written = await call('alice', 'POST', '', {
        title: 'a\u0000b',
        priority: 1,
        done: false,
      })
      expect(written.status).toBe(422)
      expect(written.body).toMatchObject({ code: 'invalid_value', field: 'title' })
      expect((await list('alice')).data).toHaveLength(1)
    })

    it('creates a row owned by the caller, whatever the client sends', async () => {
      const created = await create('alice', { title: 'First', priority: 1, done: false })
      expect(created.fields).toMatchObject({ title: 'First', priority: 1, ownerId: 'alice' })
      expect(created.fields).not.toHaveProperty('secret')
      expect((await backend.raw(created.id))?.secret).toBe('classified')
      for (const forged of [
        { title: 'x', ownerId: 'bob' },
        { title: 'x', secret: 'mine' },
      ]) {
        const refused = await call('alice', 'POST', '', forged)
        expect(refused.status).toBe(422)
        expect(refused.body.code).toBe('field_not_writable')
        expect(refused.body.field).toBe(Object.keys(forged)[1])
      }
    })

    it('reads, lists, updates and deletes its own rows', async () => {
      const created = await create('alice', {
        title: 'Note',
        body: 'text',
        priority: 2,
        done: false,
      })
      expect((await call('alice', 'GET', `/${created.id}`)).body).toMatchObject({
        id: created.id,
        fields: { title: 'Note', body: 'text' },
      })
      expect((await list('alice')).data.map((r) => r.id)).toEqual([created.id])
      const updated = await call('alice', 'PATCH', `/${created.id}`, {
        done: true,
        title: 'Renamed',
      })
      expect(updated.status).toBe(200)
      expect(updated.body).toMatchObject({
        id: created.id,
        fields: { done: true, title: 'Renamed', ownerId: 'alice' },
      })
      expect(await backend.raw(created.id)).toMatchObject({
        title: 'Renamed',
        secret: 'classified',
      })
      expect((await call('alice', 'DELETE', `/${created.id}`)).status).toBe(204)
      expect((await call('alice', 'GET', `/${created.id}`)).status).toBe(404)
      expect(await backend.raw(created.id)).toBeNull()
    })

    it('creates in bulk, all owned by the caller, and caps the batch', async () => {
      const response = await call(
        'alice',
        'POST',
        '',
        Array.from({ length: 12 }, (_, i) => ({ title: `B${i}`, priority: i })),
      )
      expect(response.status).toBe(201)
      const rows = (response.body as unknown as { data: RecordView[] }).data
      expect(rows).toHaveLength(12)
      expect(rows.every((r) => r.fields.ownerId === 'alice')).toBe(true)
      expect(
        (
          await call(
            'alice',
            'POST',
            '',
            Array.from({ length: 101 }, () => ({ title: 't' })),
          )
        ).status,
      ).toBe(422)
      expect(
        (await call('alice', 'POST', '', [{ title: 'ok' }, { title: 'bad', ownerId: 'bob' }]))
          .status,
      ).toBe(422)
    })

    it('supports every filter operator it has, and refuses the ones it lacks', async () => {
      for (let p = 1; p <= 5; p++)
        await create('alice', {
          title: `Task ${p}${p === 3 ? ' urgent' : ''}`,
          priority: p,
          done: p % 2 === 0,
        })
      const titles = async (query: string) =>
        (await list('alice', query)).data.map((r) => r.fields.priority).sort()
      const cases: [Operator, string, number[]][] = [
        ['eq', 'filter[priority]=3', [3]],
        ['eq', 'filter[priority][eq]=3', [3]],
        ['ne', 'filter[priority][ne]=3', [1, 2, 4, 5]],
        ['lt', 'filter[priority][lt]=3', [1, 2]],
        ['lte', 'filter[priority][lte]=3', [1, 2, 3]],
        ['gt', 'filter[priority][gt]=3', [4, 5]],
        ['gte', 'filter[priority][gte]=3', [3, 4, 5]],
        ['in', 'filter[priority][in]=1&filter[priority][in]=5', [1, 5]],
        ['contains', 'filter[title][contains]=urgent', [3]],
        ['eq', 'filter[done]=true', [2, 4]],
        ['eq', 'filter[done]=false', [1, 3, 5]],
        ['gt', 'filter[done]=false&filter[priority][gt]=1', [3, 5]],
      ]
      for (const [operator, query, expected] of cases) {
        if (!backend.lacks?.operators?.includes(operator)) {
          expect(await titles(query), query).toEqual(expected)
          continue
        }
        const refused = await call('alice', 'GET', `?${query}`)
        expect(refused.status, query).toBe(422)
        expect(refused.body.code, query).toBe('operator_not_allowed')
      }
    })

    it('refuses filters and sorts outside the allow-list', async () => {
      for (const [query, code] of [
        ['filter[secret]=classified', 'field_not_readable'],
        ['filter[nope]=1', 'unknown_field'],
        ['filter[priority][regex]=.*', 'operator_not_allowed'],
        ['filter[ownerId][$ne]=x', 'operator_not_allowed'],
        ['filter[priority]=abc', 'invalid_value'],
        ['sort=secret', 'field_not_readable'],
        ['limit=101', 'invalid_value'],
        ['limit=0', 'invalid_value'],
        ['fields=secret', 'field_not_readable'],
      ] as const) {
        const response = await call('alice', 'GET', `?${query}`)
        expect(response.status, query).toBe(422)
        expect(response.body.code, query).toBe(code)
      }
      expect((await call('alice', 'GET', '?where=1')).status).toBe(422)
    })

    it('paginates stably with an opaque cursor, capped at 100 per page', async () => {
      await call(
        'alice',
        'POST',
        '',
        Array.from({ length: 25 }, (_, i) => ({
          title: `P${String(i).padStart(2, '0')}`,
          priority: i,
        })),
      )
      await create('bob', { title: 'Bob', priority: 7 })
      const seen: number[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page = await list(
          'alice',
          `sort=priority&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )
        expect(page.data.length).toBeLessThanOrEqual(10)
        seen.push(...page.data.map((r) => Number(r.fields.priority)))
        cursor = page.nextCursor
        pages++
      } while (cursor && pages < 10)
      expect(pages).toBe(3)
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i))
      expect(
        (await list('alice', 'sort=-priority&limit=100')).data.map((r) => r.fields.priority),
      ).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i))
      expect((await list('alice')).data).toHaveLength(20)
    })

    it('refuses a cursor from another query or another user', async () => {
      await call(
        'alice',
        'POST',
        '',
        Array.from({ length: 5 }, (_, i) => ({ title: `C${i}`, priority: i })),
      )
      await call(
        'bob',
        'POST',
        '',
        Array.from({ length: 5 }, (_, i) => ({ title: `D${i}`, priority: i })),
      )
      const page = await list('alice', 'limit=2')
      expect(page.nextCursor).toBeTruthy()
      const cursor = encodeURIComponent(page.nextCursor ?? '')
      expect((await call('bob', 'GET', `?limit=2&cursor=${cursor}`)).status).toBe(400)
      expect((await call('alice', 'GET', `?limit=3&cursor=${cursor}`)).status).toBe(400)
      expect((await call('alice', 'GET', `?limit=2&cursor=garbage`)).status).toBe(400)
    })

    it('refuses a cursor the client made or edited: positions come only from the server', async () => {
      for (const user of ['alice', 'bob']) {
        await call(
          user,
          'POST',
          '',
          Array.from({ length: 4 }, (_, i) => ({ title: `${user}${i}`, priority: i })),
        )
      }
      const [alices, bobs] = [await list('alice', 'limit=1'), await list('bob', 'limit=1')]
      const decode = (cursor: string) => {
        const [payload = '', tag] = cursor.split('.')
        return { body: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Json, tag }
      }
      const encode = (body: Json, tag: string | undefined) =>
        [Buffer.from(JSON.stringify(body)).toString('base64url'), tag].filter(Boolean).join('.')
      const alice = decode(alices.nextCursor ?? '')
      const bob = decode(bobs.nextCursor ?? '')
      // Alice's query binding with Bob's position inside: a forged position into his rows.
      const forged = encode({ ...alice.body, c: bob.body.c }, alice.tag)
      const attempt = await call('alice', 'GET', `?limit=1&cursor=${encodeURIComponent(forged)}`)
      expect(attempt.status).toBe(400)
      expect(attempt.body.code).toBe('invalid_cursor')
      // The same cursor with its authenticator changed, or dropped.
      const flipped = `${encode(alice.body, undefined)}.${'A'.repeat((alice.tag ?? 'x').length)}`
      for (const cursor of [flipped, encode(alice.body, undefined)]) {
        const refused = await call('alice', 'GET', `?limit=1&cursor=${encodeURIComponent(cursor)}`)
        expect(refused.status).toBe(400)
      }
      // The cursor as given still works.
      const next = await list(
        'alice',
        `limit=1&cursor=${encodeURIComponent(alices.nextCursor ?? '')}`,
      )
      expect(next.data).toHaveLength(1)
    })

    it("isolates users: A never lists, reads, updates or deletes B's rows", async () => {
      const bobs = await create('bob', { title: 'Bob private', priority: 1, done: false })
      await create('alice', { title: 'Alice', priority: 1 })
      expect((await list('alice')).data.map((r) => r.fields.title)).toEqual(['Alice'])
      expect((await list('alice', `filter[ownerId]=bob`)).data).toEqual([])
      const read = await call('alice', 'GET', `/${bobs.id}`)
      expect(read.status).toBe(404)
      expect(read.body.code).toBe('not_found')
      const missing = await call('alice', 'GET', `/${bobs.id.slice(0, -1)}x`)
      expect({ ...missing.body, requestId: '' }).toEqual({ ...read.body, requestId: '' })
      expect(
        (await call('alice', 'PATCH', `/${bobs.id}`, { done: true, title: 'pwned' })).status,
      ).toBe(404)
      expect((await call('alice', 'DELETE', `/${bobs.id}`)).status).toBe(404)
      expect(await backend.raw(bobs.id)).toMatchObject({
        title: 'Bob private',
        ownerId: 'bob',
        done: false,
      })
    })

    it('refuses owner changes, unwritable and unknown fields, and non-scalar values', async () => {
      const mine = await create('alice', { title: 'Mine', priority: 1 })
      for (const [body, code] of [
        [{ ownerId: 'bob' }, 'field_immutable'],
        [{ secret: 'x' }, 'field_not_writable'],
        [{ nope: 1 }, 'unknown_field'],
        [{ $set: { ownerId: 'bob' } }, 'unknown_field'],
        [{ 'owner.id': 'bob' }, 'unknown_field'],
        [{ title: { $ne: null } }, 'invalid_value'],
        [{ title: ['a'] }, 'invalid_value'],
        [{ priority: '1' }, 'invalid_value'],
        [{ done: 'true' }, 'invalid_value'],
      ] as const) {
        const response = await call('alice', 'PATCH', `/${mine.id}`, body)
        expect(response.status, JSON.stringify(body)).toBe(422)
        expect(response.body.code, JSON.stringify(body)).toBe(code)
      }
      expect(await backend.raw(mine.id)).toMatchObject({
        title: 'Mine',
        ownerId: 'alice',
        secret: 'classified',
      })
    })

    it('treats injection attempts as literal values', async () => {
      const attacks = [
        "') , TRUE()",
        '100%',
        'a_b',
        '.*',
        "x' OR '1'='1",
        "a\\' , TRUE(), '",
        '{ownerId}',
        '}',
        '\\',
        "'; DROP TABLE notes; --",
        '$ne',
        '{"$ne": null}',
        'null',
      ]
      const bobs = await create('bob', { title: 'Bob secret', priority: 9 })
      for (const title of attacks) await create('alice', { title, priority: 1 })
      for (const title of attacks) {
        const rows = (await list('alice', `filter[title]=${encodeURIComponent(title)}`)).data
        expect(
          rows.map((r) => r.fields.title),
          title,
        ).toEqual([title])
        const contains = (
          await list('alice', `filter[title][contains]=${encodeURIComponent(title)}`)
        ).data
        expect(contains.every((r) => r.fields.ownerId === 'alice')).toBe(true)
        expect(contains.map((r) => r.fields.title)).toContain(title)
      }
      expect(await backend.raw(bobs.id)).toMatchObject({ title: 'Bob secret' })
    })

    it('property: no response holds a row of another owner (across issuers with colliding subjects), no write touches a field outside the allow-list, and the permissions route agrees with enforcement', async () => {
      // u1 and u2 exist at two issuers: the development issuer and admin-created sessions.
      const users = ['u1', 'u2', 'admin:u1', 'admin:u2']
      const owned = new Map<string, string>()
      for (const user of users) {
        const response = await call(user, 'POST', '', [
          { title: `${user}-a`, priority: 1 },
          { title: `${user}-b`, priority: 2, done: true },
        ])
        for (const row of (response.body as unknown as { data: RecordView[] }).data)
          owned.set(row.id, user)
      }
      const ids = [...owned.keys()]
      const field = fc.constantFrom(
        'title',
        'body',
        'done',
        'priority',
        'ownerId',
        'secret',
        'nope',
      )
      const value = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.integer({ min: -5, max: 5 }),
        fc.boolean(),
        fc.constant(null),
      )
      const request = fc.oneof(
        fc.record({
          kind: fc.constant('list' as const),
          user: fc.constantFrom(...users),
          filter: fc.option(
            fc.tuple(
              fc.constantFrom('title', 'priority', 'done', 'ownerId'),
              fc.string({ maxLength: 8 }),
            ),
          ),
        }),
        fc.record({
          kind: fc.constant('get' as const),
          user: fc.constantFrom(...users),
          id: fc.constantFrom(...ids),
        }),
        fc.record({
          kind: fc.constant('permissions' as const),
          user: fc.constantFrom(...users),
          id: fc.constantFrom(...ids),
        }),
        fc.record({
          kind: fc.constant('patch' as const),
          user: fc.constantFrom(...users),
          id: fc.constantFrom(...ids),
          body: fc.dictionary(field, value, { minKeys: 1, maxKeys: 3 }),
        }),
      )
      await fc.assert(
        fc.asyncProperty(request, async (req) => {
          if (req.kind === 'list') {
            const query = req.filter
              ? `filter[${req.filter[0]}]=${encodeURIComponent(req.filter[1])}`
              : ''
            const response = await call(req.user, 'GET', query ? `?${query}` : '')
            if (response.status === 200) {
              for (const row of (response.body as unknown as { data: RecordView[] }).data)
                expect(row.fields.ownerId).toBe(req.user)
            } else {
              expect(response.status).toBe(422)
            }
            return
          }
          if (req.kind === 'get') {
            const response = await call(req.user, 'GET', `/${req.id}`)
            expect(response.status).toBe(owned.get(req.id) === req.user ? 200 : 404)
            if (response.status === 200)
              expect(response.body.fields).toMatchObject({ ownerId: req.user })
            return
          }
          if (req.kind === 'permissions') {
            const [permissions, get] = [
              await call(req.user, 'GET', `/${req.id}/permissions`),
              await call(req.user, 'GET', `/${req.id}`),
            ]
            expect(permissions.status).toBe(get.status)
            if (permissions.status === 200)
              expect(permissions.body).toEqual({
                resource: 'notes',
                id: req.id,
                operations: { list: false, get: true, create: false, update: true, delete: true },
                fields: {
                  readable: ['title', 'body', 'done', 'priority', 'ownerId'],
                  creatable: [],
                  updatable: ['title', 'body', 'done', 'priority'],
                },
              })
            return
          }
          // What "can I?" says before the write must be what the write then does.
          const asked = await call(req.user, 'GET', `/${req.id}/permissions`)
          const before = await backend.raw(req.id)
          const response = await call(req.user, 'PATCH', `/${req.id}`, req.body)
          // A row the caller can't see is never written (a body the policy refuses is 422 first,
          // whatever the row: validation reveals nothing about it).
          if (asked.status === 404) expect([404, 422]).toContain(response.status)
          else {
            const answer = asked.body as unknown as {
              operations: { update: boolean }
              fields: { updatable: string[] }
            }
            expect(answer.operations.update).toBe(true)
            expect(response.status).not.toBe(404)
            if (Object.keys(req.body).some((key) => !answer.fields.updatable.includes(key)))
              expect(response.status).toBe(422)
          }
          const after = await backend.raw(req.id)
          if (response.status === 200) {
            expect(owned.get(req.id)).toBe(req.user)
            for (const key of Object.keys(req.body))
              expect(['title', 'body', 'done', 'priority']).toContain(key)
          } else {
            expect([404, 422]).toContain(response.status)
          }
          // Fields outside the allow-list never change; another owner's row never changes at all.
          expect(after?.ownerId).toBe(before?.ownerId)
          expect(after?.secret).toBe(before?.secret)
          if (owned.get(req.id) !== req.user) expect(normalize(after)).toEqual(normalize(before))
        }),
        { numRuns: PROPERTY_RUNS },
      )
    }, 600_000) // 10,000 cases over HTTP and a real database take a while

    it('property: rows owned by an organization never cross issuers, though both issuers name the same org id', async () => {
      // u1 and admin:u1 both belong to "o1", u2 and admin:u2 to "o2", each in their own
      // issuer's namespace: the development issuer's o1 is not the admin issuer's (admin:o1).
      const users = ['u1', 'u2', 'admin:u1', 'admin:u2']
      const orgKey = (user: string) =>
        user.startsWith('admin:') ? `admin:${orgOf(user)}` : orgOf(user)
      const owner = new Map<string, string>()
      for (const user of users) {
        const response = await callOn('org-notes', user, 'POST', '', [
          { title: `${user}-a`, priority: 1 },
          { title: `${user}-b`, priority: 2 },
        ])
        expect(response.status, JSON.stringify(response.body)).toBe(201)
        for (const row of (response.body as unknown as { data: RecordView[] }).data) {
          expect(row.fields.ownerId).toBe(orgKey(user))
          owner.set(row.id, orgKey(user))
        }
      }
      const ids = [...owner.keys()]
      const request = fc.record({
        kind: fc.constantFrom('list' as const, 'get' as const, 'patch' as const),
        user: fc.constantFrom(...users),
        id: fc.constantFrom(...ids),
        title: fc.stringMatching(/^[A-Za-z0-9 ]{0,8}$/),
      })
      await fc.assert(
        fc.asyncProperty(request, async (req) => {
          if (req.kind === 'list') {
            const response = await callOn('org-notes', req.user, 'GET', '')
            expect(response.status).toBe(200)
            const rows = (response.body as unknown as { data: RecordView[] }).data
            expect(rows.length).toBeGreaterThan(0)
            for (const row of rows) expect(row.fields.ownerId).toBe(orgKey(req.user))
            return
          }
          const mine = owner.get(req.id) === orgKey(req.user)
          const before = await backend.raw(req.id)
          const response =
            req.kind === 'get'
              ? await callOn('org-notes', req.user, 'GET', `/${req.id}`)
              : await callOn('org-notes', req.user, 'PATCH', `/${req.id}`, { title: req.title })
          expect(response.status).toBe(mine ? 200 : 404)
          if (!mine) expect(await backend.raw(req.id)).toEqual(before)
        }),
        { numRuns: PROPERTY_RUNS },
      )
    })
  })
}

/** Backends store "false" and "absent" differently; compare what a client would read. */
function normalize(row: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!row) return row
  return Object.fromEntries(
    Object.entries(row).filter(([, v]) => v !== null && v !== false && v !== undefined && v !== ''),
  )
}
