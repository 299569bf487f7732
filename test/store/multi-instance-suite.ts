import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { airtableTable } from '../../adapters/airtable/airtable-adapter'
import type { Store } from '../../src/store/types'
import { notesResource } from '../conformance/notes-resource'
import { startLocalAirtable } from '../fakes/airtable/server'
import { asSession, bearerSession, devToken } from '../helpers/sign-in'
import { makeTestApp, testAdapter, type TestApp } from '../helpers/test-app'

const KEK = 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE'
const ADMIN = 'multi-instance-admin-key-0123456789abcdef'
const AIRTABLE_TOKEN =
  'patLocalMultiInst.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'

/** A bearer session of `sub`, signed in on `t`. */
const signIn = async (t: TestApp, sub: string) => (await bearerSession(t, sub)).secret
const me = (t: TestApp, secret: string) => asSession(t, secret)

async function mintKid(t: TestApp): Promise<string> {
  const minted = await t.app.request('/v1/tokens/hasura', {
    method: 'POST',
    headers: { Authorization: `Bearer ${await devToken(t, 'k')}` },
  })
  return String(decodeProtectedHeader(((await minted.json()) as { token: string }).token).kid)
}

/**
 * What several bridge instances sharing one store must agree on: sessions and their revocation,
 * the failed-authentication count of an address, the signing keys and one rotation, and the
 * Airtable budget of a base. Run on one Redis and on a Redis Cluster.
 */
export function defineMultiInstanceSuite(name: string, open: () => Promise<Store>) {
  describe(`bridge instances sharing ${name}`, () => {
    it('share sessions, and a revocation on one is refused by the other on its next request', async () => {
      const a = await makeTestApp({}, { store: await open() })
      const b = await makeTestApp({}, { store: await open() })
      // Dev tokens are per-instance; a session is what travels between instances.
      const secret = await signIn(a, 'roamer')
      const seen = await me(b, secret)
      expect(seen.status).toBe(200)
      const { sessionId } = (await seen.json()) as { sessionId: string }
      const revoke = await a.app.request(`/v1/sessions/${sessionId}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${secret}` },
      })
      expect(revoke.status).toBe(204)
      expect((await me(b, secret)).status).toBe(401)
      // Revoking every session of a user on one is seen by the other too.
      const [first, second] = [await signIn(a, 'many'), await signIn(b, 'many')]
      const all = await b.app.request('/v1/sessions', {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${first}` },
      })
      expect(await all.json()).toEqual({ revoked: 2 })
      expect((await me(a, second)).status).toBe(401)
    })

    it('share the failed-authentication count of an address', async () => {
      const env = { AUTH_FAILURE_LIMIT: '4', TRUST_PROXY: 'x-forwarded-for' }
      const a = await makeTestApp(env, { store: await open() })
      const b = await makeTestApp(env, { store: await open() })
      const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`
      // A different secret each time, as guessing is (the same dead secret again counts once).
      const guess = (t: TestApp) =>
        t.app.request('/v1/me', {
          headers: {
            Authorization: `Bearer bks_${crypto.randomUUID().replaceAll('-', '').padEnd(43, 'x')}`,
            'X-Forwarded-For': ip,
          },
        })
      const statuses = []
      for (const t of [a, b, a, b, a, b]) statuses.push((await guess(t)).status)
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429])
    })

    it('agree on the signing key, and perform one rotation when several are asked at once', async () => {
      const env = { KEY_ENCRYPTION_KEY: KEK, ADMIN_API_KEY: ADMIN }
      const a = await makeTestApp(env, { store: await open() })
      const b = await makeTestApp(env, { store: await open() })
      const kids = await Promise.all([a, b].map((t) => mintKid(t)))
      expect(new Set(kids).size).toBe(1)
      const rotate = (t: TestApp) =>
        t.app.request('/v1/admin/keys/rotate', {
          method: 'POST',
          headers: { Authorization: `Bearer ${ADMIN}` },
        })
      const results = await Promise.all([rotate(a), rotate(b), rotate(a)])
      for (const r of results) expect(r.status).toBe(200)
      const status = (await (
        await b.app.request('/v1/admin/keys', {
          headers: { Authorization: `Bearer ${ADMIN}` },
        })
      ).json()) as { keys: { state: string }[] }
      expect(status.keys.filter((k) => k.state === 'next')).toHaveLength(1)
      expect(status.keys.filter((k) => k.state === 'active')).toHaveLength(1)
      const etags = await Promise.all(
        [a, b].map(async (t) =>
          (await t.app.request('/.well-known/jwks.json')).headers.get('etag'),
        ),
      )
      expect(new Set(etags).size).toBe(1)
    })

    it("keep an Airtable base's 5 requests per second between them", async () => {
      const base = `appMulti${Math.random().toString(36).slice(2, 12).padEnd(10, '0')}`
      const server = await startLocalAirtable({
        token: AIRTABLE_TOKEN,
        bases: { [base]: ['Notes'] },
      })
      try {
        const bridge = async () => {
          const backend = airtableTable({
            baseId: base,
            table: 'Notes',
            connection: () => ({
              token: AIRTABLE_TOKEN,
              endpointUrl: server.url,
              maxWaitMs: 20_000,
            }),
          })
          return makeTestApp(
            { AUTH_FAILURE_LIMIT: '100000', DATA_PER_USER: '100000' },
            {
              store: await open(),
              adapters: [testAdapter({ resources: [notesResource(backend)] })],
            },
          )
        }
        const [a, b] = [await bridge(), await bridge()]
        // Eight users, so each stays within their own share: only the base budget paces them.
        const responses = await Promise.all(
          Array.from({ length: 12 }, async (_, i) => {
            const t = i % 2 ? a : b
            return t.app.request('/v1/data/notes', {
              headers: { Authorization: `Bearer ${await devToken(t, `user-${i % 8}`)}` },
            })
          }),
        )
        expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200))
        const times = server.requestLog.filter((r) => r.base === base).map((r) => r.at)
        expect(times).toHaveLength(12)
        for (const start of times)
          expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(5)
      } finally {
        await server.close()
      }
    })
  })
}
