import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { posts } from '../../adapters/app/resources'
import { onPrisma } from '../helpers/drivers'
import { openTelemetryTracing } from '../../src/runtime/node/open-telemetry'
import { issuerEnv, startOidcIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { asSession, bearerSession } from '../helpers/sign-in'
import { makeTestApp, testAdapter, type TestApp } from '../helpers/test-app'

const exporter = new InMemorySpanExporter()
// The operator's SDK set-up, as docs/operations.md shows it: a provider, a processor, the Node context manager.
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
provider.register()
let database: PrismaDatabase
let issuer: OidcIssuer
let t: TestApp

beforeAll(async () => {
  database = await openPrismaDatabase({ dataDir: await mkdtemp(join(tmpdir(), 'bk-trace-')) })
  issuer = await startOidcIssuer()
  await issuer.addKey()
  t = await makeTestApp(
    { UPSTREAM_ISSUERS: issuerEnv(issuer) },
    {
      tracing: openTelemetryTracing(provider),
      adapters: [
        testAdapter({
          resources: [onPrisma(posts, { client: () => database.client, provider: 'sqlite' })],
        }),
      ],
    },
  )
})
afterAll(async () => {
  await database.close()
  await issuer.close()
  await provider.shutdown()
})
beforeEach(() => exporter.reset())

const spans = () => exporter.getFinishedSpans()
/** The request's span and its descendants, checked to form one trace under it. */
function requestTree(route: string) {
  const all = spans()
  const root = all.find((s) => s.name === route)
  expect(root, `a span named ${route}`).toBeDefined()
  const rootId = root?.spanContext().spanId
  const ids = new Set([rootId])
  // Children end before their parent: walk from the root down.
  let grew = true
  while (grew) {
    grew = false
    for (const span of all) {
      const parent = span.parentSpanContext?.spanId
      if (parent && ids.has(parent) && !ids.has(span.spanContext().spanId)) {
        ids.add(span.spanContext().spanId)
        grew = true
      }
    }
  }
  const tree = all.filter((s) => ids.has(s.spanContext().spanId))
  for (const span of tree) expect(span.spanContext().traceId).toBe(root?.spanContext().traceId)
  return { root, names: tree.map((s) => s.name) }
}

describe('traces', () => {
  it('a mint: the HTTP span by route pattern, with store and signing spans under it', async () => {
    const { secret } = await bearerSession(t, 'tracer')
    exporter.reset()
    const response = await asSession(t, secret, '/v1/tokens/hasura', { method: 'POST' })
    expect(response.status).toBe(200)
    const { root, names } = requestTree('POST /v1/tokens/:template')
    expect(root?.attributes['http.response.status_code']).toBe(200)
    expect(names).toEqual(
      expect.arrayContaining([
        'bridgekeeper.store.sessions.authenticate',
        'bridgekeeper.store.limits.take',
        'bridgekeeper.sign',
      ]),
    )
    // No span carries the session secret or the minted token.
    const { token } = (await response.json()) as { token: string }
    const text = JSON.stringify(spans().map((s) => [s.name, s.attributes, s.events]))
    expect(text).not.toContain(secret)
    expect(text).not.toContain(token)
  })

  it('an upstream JWT: the verification span, with the issuer, under the request', async () => {
    const token = await issuer.sign({ sub: 'upstream-tracer' }, { now: t.clock.now() })
    const response = await t.app.request('/v1/me', {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
    const { names } = requestTree('GET /v1/me')
    expect(names).toContain('bridgekeeper.upstream.verify')
    const verify = spans().find((s) => s.name === 'bridgekeeper.upstream.verify')
    expect(verify?.attributes['bridgekeeper.issuer']).toBe(issuer.url)
  })

  it('a data write: the backend span names the resource and backend; a failing call is an error span', async () => {
    const { secret } = await bearerSession(t, 'writer')
    exporter.reset()
    const created = await asSession(t, secret, '/v1/data/posts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'traced' }),
    })
    expect(created.status).toBe(201)
    const { names } = requestTree('POST /v1/data/:resource')
    expect(names).toContain('bridgekeeper.backend.create')
    const backend = spans().find((s) => s.name === 'bridgekeeper.backend.create')
    expect(backend?.attributes).toMatchObject({
      'bridgekeeper.resource': 'posts',
      'bridgekeeper.backend': 'prisma',
    })
    exporter.reset()
    // The table is gone: the backend call fails.
    await (
      database.client as { $executeRawUnsafe(sql: string): Promise<unknown> }
    ).$executeRawUnsafe('DROP TABLE "Post"')
    const failed = await asSession(t, secret, '/v1/data/posts')
    expect(failed.status).toBeGreaterThanOrEqual(500)
    const find = spans().find((s) => s.name === 'bridgekeeper.backend.find')
    expect(find?.status.code).toBe(2) // SpanStatusCode.ERROR
  })
})
