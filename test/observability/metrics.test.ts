import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { teamNotes } from '../../adapters/app/resources'
import { onPrisma } from '../helpers/drivers'
import { issuerEnv, startOidcIssuer } from '../fakes/oidc-issuer'
import { bearerSession } from '../helpers/sign-in'
import { makeTestApp, testAdapter, type TestApp } from '../helpers/test-app'

const TOKEN = 'metrics-token-0123456789-abcdefghijklmnop'
let database: PrismaDatabase
let t: TestApp

beforeAll(async () => {
  database = await openPrismaDatabase({ dataDir: await mkdtemp(join(tmpdir(), 'bk-metrics-')) })
  t = await makeTestApp(
    { METRICS_TOKEN: TOKEN },
    {
      adapters: [
        testAdapter({
          resources: [onPrisma(teamNotes, { client: () => database.client, provider: 'sqlite' })],
        }),
      ],
    },
  )
})
afterAll(() => database.close())

const scrape = async () => {
  const response = await t.app.request('/metrics', {
    headers: { Authorization: `Bearer ${TOKEN}` },
  })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/plain')
  return response.text()
}
/** The value of one sample line, 0 when absent. */
const sample = (text: string, line: string) =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${line} `))
      ?.split(' ')[1] ?? 0,
  )

describe('GET /metrics', () => {
  it('moves the counters of mints, data decisions and sessions, with bounded labels only', async () => {
    const { id, secret } = await bearerSession(t, 'metrics-user')
    const as = (path: string, init: RequestInit = {}) =>
      t.app.request(path, {
        ...init,
        headers: {
          Authorization: `Bearer ${secret}`,
          ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        },
      })
    expect((await as('/v1/tokens/hasura', { method: 'POST' })).status).toBe(200)
    expect((await as('/v1/tokens/nope', { method: 'POST' })).status).toBe(404)
    // No organization: the policy refuses (scope_denied), and the refusal is counted.
    expect((await as('/v1/data/team-notes')).status).toBe(403)
    expect((await as(`/v1/sessions/${id}`, { method: 'DELETE' })).status).toBe(204)

    const text = await scrape()
    expect(
      sample(text, 'bridgekeeper_tokens_minted_total{template="hasura",outcome="issued"}'),
    ).toBe(1)
    expect(
      sample(
        text,
        'bridgekeeper_data_decisions_total{resource="team-notes",operation="list",outcome="scope_denied"}',
      ),
    ).toBe(1)
    expect(sample(text, 'bridgekeeper_sessions_total{event="created"}')).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'bridgekeeper_sessions_total{event="revoked"}')).toBeGreaterThanOrEqual(1)
    expect(
      sample(
        text,
        'bridgekeeper_http_request_duration_seconds_count{route="/v1/tokens/:template",method="POST",status="200"}',
      ),
    ).toBe(1)
    expect(text).toContain('bridgekeeper_process_resident_memory_bytes')
    // Never a user id, a session id, a secret or a raw path in a label.
    for (const secretish of ['metrics-user', id, secret, '/v1/sessions/sess_', 'nope'])
      expect(text).not.toContain(secretish)
  })

  it('times store calls, counts upstream JWKS fetches, and reports the active key age', async () => {
    const issuer = await startOidcIssuer()
    await issuer.addKey()
    const managed = await makeTestApp({
      METRICS_TOKEN: TOKEN,
      KEY_ENCRYPTION_KEY: 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE',
      UPSTREAM_ISSUERS: issuerEnv(issuer),
    })
    try {
      const token = await issuer.sign({ sub: 'upstream-user' }, { now: managed.clock.now() })
      const me = await managed.app.request('/v1/me', {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(me.status).toBe(200)
      await managed.keys.activeKey() // managed keys are made on first use
      managed.clock.advance(90_000)
      const text = await (
        await managed.app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } })
      ).text()
      expect(
        sample(
          text,
          'bridgekeeper_store_call_duration_seconds_count{operation="limits.peek",outcome="ok"}',
        ),
      ).toBeGreaterThanOrEqual(1)
      expect(
        sample(text, 'bridgekeeper_upstream_fetches_total{outcome="ok"}'),
      ).toBeGreaterThanOrEqual(1)
      expect(sample(text, 'bridgekeeper_signing_key_age_seconds')).toBeGreaterThanOrEqual(90)
    } finally {
      await issuer.close()
    }
  })

  it('refuses a scraper without the token, or with another one', async () => {
    expect((await t.app.request('/metrics')).status).toBe(401)
    const wrong = await t.app.request('/metrics', { headers: { Authorization: 'Bearer wrong' } })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).not.toContain('bridgekeeper_')
  })

  it('does not exist without METRICS_TOKEN', async () => {
    const plain = await makeTestApp()
    expect(
      (await plain.app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(404)
  })
})
