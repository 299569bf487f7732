/**
 * `npm run bench:scale`: how the bridge scales out over a shared store, and what each request
 * costs that store.
 *
 * For one Redis and for a Redis Cluster (3 masters, 3 replicas, started here on loopback), it
 * starts 1, 2 and 4 bridge processes (production start, the same store and PostgreSQL), drives
 * them together with autocannon (in its own process per bridge, 50 connections split between
 * them) and prints session-authenticated and minting throughput with the scaling efficiency
 * (throughput with n bridges ÷ n × throughput with one). With one bridge it also counts the Redis
 * commands each kind of request causes, from INFO commandstats (summed over the cluster's
 * masters), which is what sizes a Redis. BENCH_DURATION (default 5 s) and BENCH_SIZES (default
 * 1,2,4) adjust it.
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { Redis } from 'ioredis'
import pg from 'pg'
import { startRedisCluster } from '../test/helpers/redis-cluster'
import { loadWith, run, startProcess, type Sample } from './processes'

const DURATION = Number(process.env.BENCH_DURATION ?? 5)
const SIZES = (process.env.BENCH_SIZES ?? '1,2,4').split(',').map(Number)
const CONNECTIONS = 50
const POSTGRES = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const SCHEMA = 'bench_scale'
const ADMIN = 'bench-scale-admin-key-0123456789abcdefghij'
const log = (line: string) => process.stderr.write(`${line}\n`)

await run('npm', ['run', 'build', '--silent'])
const signingKeys = JSON.stringify({
  keys: [
    {
      ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
      kid: 'bench-scale',
      alg: 'RS256',
    },
  ],
})
const db = new pg.Client({ connectionString: POSTGRES })
await db.connect()
await db.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`)

type StoreSetup = { name: string; env: Record<string, string>; masters: () => Promise<Redis[]> }
const cluster = await startRedisCluster()
const stores: StoreSetup[] = [
  {
    name: 'one Redis',
    env: { REDIS_URL, STORE_KEY_PREFIX: 'bench-scale:' },
    masters: async () => [new Redis(REDIS_URL)],
  },
  {
    name: 'Redis Cluster (3 masters)',
    env: { REDIS_CLUSTER_NODES: cluster.nodes, STORE_KEY_PREFIX: 'bench-scale:' },
    masters: async () => (await cluster.roles()).masters.map((port) => cluster.node(port)),
  },
]

let nextPort = 18_900
async function startBridges(count: number, env: Record<string, string>) {
  const ports = Array.from({ length: count }, () => nextPort++)
  const bridges = await Promise.all(
    ports.map((port) =>
      startProcess(
        `bridge ${port}`,
        ['dist/server/main.js'],
        {
          NODE_ENV: 'production',
          PORT: String(port),
          PUBLIC_URL: 'https://bridge.bench.example',
          SIGNING_KEYS: signingKeys,
          ADMIN_API_KEY: ADMIN,
          DATABASE_URL: `${POSTGRES}?schema=${SCHEMA}`,
          MINT_PER_USER: '1000000',
          MINT_PER_IP: '1000000',
          DATA_PER_USER: '1000000',
          DATA_PER_IP: '1000000',
          SESSION_CREATE_PER_USER: '1000000',
          SESSION_CREATE_PER_IP: '1000000',
          AUTH_FAILURE_LIMIT: '1000000',
          LOG_LEVEL: 'warn',
          ...env,
        },
        port,
        '/healthz',
      ),
    ),
  )
  return {
    urls: ports.map((port) => `http://127.0.0.1:${port}`),
    stop: () => bridges.forEach((b) => b.kill('SIGTERM')),
  }
}

async function newSession(url: string, user: string): Promise<string> {
  const response = await fetch(`${url}/v1/admin/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId: user }),
  })
  if (response.status !== 201)
    throw new Error(`admin session: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { secret: string }).secret
}

/** Redis commands per request of each kind, from INFO commandstats (summed over masters). */
async function commandsPerRequest(store: StoreSetup, url: string, secret: string) {
  const count = 200
  const kinds: Record<string, () => Promise<Response>> = {
    'session authentication (GET /v1/me)': () =>
      fetch(`${url}/v1/me`, { headers: { Authorization: `Bearer ${secret}` } }),
    'sign-in (a new session)': () =>
      fetch(`${url}/v1/admin/sessions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: `signin-${Math.random()}` }),
      }),
    'minting (POST /v1/tokens/hasura)': () =>
      fetch(`${url}/v1/tokens/hasura`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}` },
      }),
    'data list (GET /v1/data/posts)': () =>
      fetch(`${url}/v1/data/posts?limit=20`, { headers: { Authorization: `Bearer ${secret}` } }),
  }
  const masters = await store.masters()
  const result: Record<string, { sent: number; executed: number; detail: string }> = {}
  try {
    for (const [kind, request] of Object.entries(kinds)) {
      await Promise.all(masters.map((m) => m.config('RESETSTAT')))
      for (let i = 0; i < count; i++) {
        const response = await request()
        if (!response.ok) throw new Error(`${kind}: ${response.status}`)
        await response.arrayBuffer()
      }
      const calls = new Map<string, number>()
      for (const master of masters) {
        const info = await master.info('commandstats')
        for (const [, name, n] of info.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g))
          if (!/^(config|info|replconf|ping|cluster)/.test(name ?? ''))
            calls.set(name ?? '', (calls.get(name ?? '') ?? 0) + Number(n))
      }
      const total = [...calls.values()].reduce((a, b) => a + b, 0)
      // What the bridge sends: scripts (EVALSHA) and the lockout's MGET; the rest runs inside scripts.
      const sent = ['evalsha', 'eval', 'mget'].reduce(
        (sum, name) => sum + (calls.get(name) ?? 0),
        0,
      )
      result[kind] = {
        sent: sent / count,
        executed: total / count,
        detail: [...calls].map(([name, n]) => `${name} ${(n / count).toFixed(2)}`).join(', '),
      }
    }
  } finally {
    masters.forEach((m) => m.disconnect())
  }
  return result
}

async function throughput(urls: string[], path: string, method: string, secrets: string[]) {
  const per = Math.max(1, Math.floor(CONNECTIONS / urls.length))
  const samples: Sample[] = await Promise.all(
    urls.map((url, i) =>
      loadWith(
        {
          url: `${url}${path}`,
          method,
          headers: { authorization: `Bearer ${secrets[i % secrets.length]}` },
        },
        DURATION,
        per,
      ),
    ),
  )
  return samples.reduce((sum, s) => sum + s.rps, 0)
}

const report: Record<string, unknown>[] = []
const lines: string[] = [
  `Bridgekeeper scaling, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} cores, ${CONNECTIONS} connections in all, ${DURATION} s per measurement`,
  '',
]
for (const store of stores) {
  let base: { me: number; mint: number } | undefined
  lines.push(
    `### ${store.name}`,
    '',
    '| bridges | GET /v1/me, session (req/s) | efficiency | POST /v1/tokens/hasura (req/s) | efficiency |',
    '|---|---|---|---|---|',
  )
  for (const size of SIZES) {
    const bridges = await startBridges(size, store.env)
    try {
      const secrets = await Promise.all(
        Array.from({ length: 8 }, (_, i) => newSession(bridges.urls[0] ?? '', `scale-user-${i}`)),
      )
      if (size === 1) {
        const commands = await commandsPerRequest(store, bridges.urls[0] ?? '', secrets[0] ?? '')
        report.push({ store: store.name, commandsPerRequest: commands })
        lines.splice(
          lines.length - 2,
          0,
          ...Object.entries(commands).map(
            ([kind, c]) =>
              `- ${kind}: ${c.sent.toFixed(2)} commands sent, ${c.executed.toFixed(2)} executed per request (${c.detail})`,
          ),
          '',
        )
      }
      // Warm-up, then the measurements.
      await throughput(bridges.urls, '/v1/me', 'GET', secrets)
      const me = await throughput(bridges.urls, '/v1/me', 'GET', secrets)
      const mint = await throughput(bridges.urls, '/v1/tokens/hasura', 'POST', secrets)
      base ??= { me, mint }
      const efficiency = (value: number, one: number) => (value / (size * one)).toFixed(2)
      lines.push(
        `| ${size} | ${Math.round(me)} | ${efficiency(me, base.me)} | ${Math.round(mint)} | ${efficiency(mint, base.mint)} |`,
      )
      report.push({ store: store.name, bridges: size, meRps: me, mintRps: mint })
      log(
        `${store.name}, ${size} bridge(s): /v1/me ${Math.round(me)} req/s, mint ${Math.round(mint)} req/s`,
      )
    } finally {
      bridges.stop()
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  lines.push('')
}
process.stdout.write(`${lines.join('\n')}\n`)
mkdirSync('bench/results', { recursive: true })
writeFileSync(
  `bench/results/scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  JSON.stringify(report, null, 2),
)
await db.end()
await cluster.stop()
process.exit(0)
