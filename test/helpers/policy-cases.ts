import { beforeAll, describe, expect, it } from 'vitest'
import type { BoundResourceDefinition } from '../../src/data/resource'
import type { Operation, Scalar } from '../../src/data/types'
import { noMetrics } from '../../src/observability/metrics'
import { makeTestApp, testAdapter, type TestApp } from './test-app'

/**
 * Policy tests for your own resources: a table of cases run through the real bridge (the same
 * assembly, routes and policy code as `npm start`) against your resource on a local backend.
 *
 *   definePolicyCases('posts', {
 *     resource: () => onPrisma(posts, { client: () => db.client, provider: 'sqlite' }),
 *     rows: { alices: { title: 'A', authorId: 'alice' }, bobs: { title: 'B', authorId: 'bob' } },
 *     cases: [
 *       { user: 'alice', operation: 'update', row: 'bobs', body: { title: 'x' }, expected: 'not_found' },
 *       { user: 'alice', operation: 'list', expected: 'allowed', sees: ['alices', 'bobs'] },
 *     ],
 *   })
 *
 * Each case is one test. On top of the cases, the helper checks what every resource must hold:
 * the permissions route (`GET /v1/data/{resource}/{id}/permissions`) answers what enforcement
 * did, a list never shows a row its user can't open, and a create that names another owner is
 * refused.
 */
export type PolicyUser =
  | string
  | {
      sub: string
      email?: string
      emailVerified?: boolean
      roles?: string[]
      orgId?: string
      orgRole?: string
    }

export type PolicyCase = {
  /** Who asks: a subject of the development issuer, with the claims the policy reads. */
  user: PolicyUser
  operation: Operation
  /** The seeded row (by its name in `rows`) that get, update and delete address. */
  row?: string
  /** The fields a create or update sends. */
  body?: Record<string, unknown>
  /** `allowed`, or the problem code the bridge must answer with (`not_found`, `scope_denied`, …). */
  expected: string
  /** For an allowed list: the names of exactly the seeded rows the user sees. */
  sees?: string[]
}

export type PolicySuite = {
  /** Your resource definition, bound to a local backend (SQLite, a local Airtable, …). */
  resource: () => BoundResourceDefinition | Promise<BoundResourceDefinition>
  /** Rows written straight to the backend before the cases (no policy in the way), by name. */
  rows: Record<string, Record<string, Scalar>>
  cases: PolicyCase[]
  /** Called before the rows are written: empty the table. */
  reset?: () => Promise<void>
  /** Extra environment of the test bridge. */
  env?: Record<string, string>
}

const ENV = { AUTH_FAILURE_LIMIT: '100000', DATA_PER_USER: '1000000', DATA_PER_IP: '1000000' }

export function definePolicyCases(name: string, suite: PolicySuite) {
  describe(`policy cases: ${name}`, () => {
    let t: TestApp
    let definition: BoundResourceDefinition
    const ids = new Map<string, string>()
    const names = new Map<string, string>()
    const tokens = new Map<string, string>()

    beforeAll(async () => {
      definition = await suite.resource()
      t = await makeTestApp(
        { ...ENV, ...suite.env },
        { adapters: [testAdapter({ resources: [definition] })] },
      )
      await suite.reset?.()
      const adapter = definition.backend({
        store: t.store,
        clock: t.clock,
        logger: t.logger,
        metrics: noMetrics,
        fields: definition.fields,
      })
      const entries = Object.entries(suite.rows)
      const created = await adapter.create(entries.map(([, fields]) => fields))
      created.forEach((row, i) => {
        const rowName = entries[i]?.[0] ?? ''
        ids.set(rowName, row.id)
        names.set(row.id, rowName)
      })
    })

    async function tokenOf(user: PolicyUser): Promise<string> {
      const claims = typeof user === 'string' ? { sub: user, email: `${user}@example.com` } : user
      const key = JSON.stringify(claims)
      const cached = tokens.get(key)
      if (cached) return cached
      const response = await t.app.request('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(claims),
      })
      expect(response.status, 'the development issuer signs the test user in').toBe(200)
      const { token } = (await response.json()) as { token: string }
      tokens.set(key, token)
      return token
    }

    const request = async (user: PolicyUser, method: string, path: string, body?: unknown) => {
      const response = await t.app.request(`/v1/data/${definition.name}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${await tokenOf(user)}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      }
    }

    const rowId = (c: PolicyCase) => {
      const id = c.row === undefined ? undefined : ids.get(c.row)
      if (c.row !== undefined && id === undefined) throw new Error(`no seeded row named ${c.row}`)
      return id
    }

    /** Runs a case's request; the outcome is `allowed` or the problem's code. */
    async function run(c: PolicyCase) {
      const id = rowId(c)
      const path = id === undefined ? '' : `/${encodeURIComponent(id)}`
      const method = { list: 'GET', get: 'GET', create: 'POST', update: 'PATCH', delete: 'DELETE' }[
        c.operation
      ]
      const response = await request(c.user, method, path, c.body)
      const code = response.body.code
      const outcome =
        response.status < 300
          ? 'allowed'
          : typeof code === 'string'
            ? code
            : String(response.status)
      return { outcome, response }
    }

    const label = (c: PolicyCase) =>
      `${typeof c.user === 'string' ? c.user : c.user.sub} ${c.operation}${c.row ? ` ${c.row}` : ''}${c.body ? ` ${JSON.stringify(c.body)}` : ''} → ${c.expected}`

    for (const c of suite.cases) {
      it(label(c), async () => {
        // What the policy says first (permissions don't change anything), then what it does.
        const id = rowId(c)
        const asked =
          c.operation === 'create' || c.operation === 'list'
            ? await request(c.user, 'GET', '/permissions')
            : await request(c.user, 'GET', `/${encodeURIComponent(id ?? '')}/permissions`)
        const { outcome, response } = await run(c)
        expect(outcome, JSON.stringify(response.body)).toBe(c.expected)
        // The permissions route agrees with enforcement (a field refusal is about the body, not the operation).
        const fieldRefusal = response.status === 422
        if (asked.status === 404) expect(outcome).toBe('not_found')
        else if (!fieldRefusal)
          expect(
            (asked.body.operations as Record<string, boolean>)[c.operation],
            `permissions say ${c.operation} is ${outcome === 'allowed' ? 'refused' : 'allowed'}`,
          ).toBe(outcome === 'allowed')
        if (c.operation === 'list' && outcome === 'allowed') {
          const rows = (response.body.data as { id: string }[]).filter((r) => names.has(r.id))
          if (c.sees) expect(rows.map((r) => names.get(r.id)).sort()).toEqual([...c.sees].sort())
          // Every listed row opens for the same user.
          for (const row of rows)
            expect((await request(c.user, 'GET', `/${encodeURIComponent(row.id)}`)).status).toBe(
              200,
            )
        }
      })
    }

    it('refuses a create that names another owner', async () => {
      const creator = suite.cases.find((c) => c.operation === 'create' && c.expected === 'allowed')
      if (!creator) {
        // No case creates: then no user may create at all.
        const user = suite.cases[0]?.user ?? 'anyone'
        const refused = await request(user, 'POST', '', {})
        expect(refused.status).toBeGreaterThanOrEqual(400)
        return
      }
      const forged = await request(creator.user, 'POST', '', {
        ...creator.body,
        [definition.owner.field]: 'someone-else',
      })
      expect(forged.status).toBe(422)
    })
  })
}
