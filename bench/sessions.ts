/**
 * bench/sessions.ts: requests/s for a session-authenticated `GET /v1/me` against the same
 * server's unauthenticated `/healthz`, in one run, as a ratio. The server is the real Node entry
 * path (createApp + @hono/node-server) on loopback, over the real Redis store.
 *
 *   npx tsx bench/sessions.ts            # REDIS_URL defaults to redis://127.0.0.1:6379
 */
import { createRedisStore } from '../adapters/redis/store'
import { serveBenchBridge } from './bridge'
import { measureRps } from './http-load'
import { bearerSession } from './sign-in'

const DURATION_MS = Number(process.env.BENCH_MS ?? 4000)
const CONNECTIONS = 16

const store = createRedisStore({
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  keyPrefix: `bench:${Date.now()}:`,
})
await new Promise((r) => setTimeout(r, 200))
const server = await serveBenchBridge({ store })
const base = server.url

const secret = await bearerSession(base, { sub: 'bench' })

await measureRps({ url: `${base}/healthz`, durationMs: 500, connections: CONNECTIONS }) // warm-up
const health = await measureRps({
  url: `${base}/healthz`,
  durationMs: DURATION_MS,
  connections: CONNECTIONS,
})
const me = await measureRps({
  url: `${base}/v1/me`,
  headers: { authorization: `Bearer ${secret}` },
  durationMs: DURATION_MS,
  connections: CONNECTIONS,
})
if (Object.keys(me.statuses).some((s) => s !== '200'))
  throw new Error(`unexpected statuses ${JSON.stringify(me.statuses)}`)

console.log(
  `GET /healthz (baseline)      ${health.rps.toFixed(0)} req/s  median ${health.medianMs.toFixed(2)} ms`,
)
console.log(
  `GET /v1/me (session, Redis)  ${me.rps.toFixed(0)} req/s  median ${me.medianMs.toFixed(2)} ms`,
)
console.log(`ratio /v1/me : /healthz      ${(me.rps / health.rps).toFixed(2)}`)
await server.close()
await store.close()
process.exit(0)
