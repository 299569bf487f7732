/**
 * `npm run bench`: the bridge's throughput and latency against peers doing the same work with the
 * same libraries, the way a user would write them (bench/peer.ts).
 *
 * Every party is its own process: the bridge started through its production path
 * (`node dist/server/main.js`, NODE_ENV=production, Redis and PostgreSQL), each peer, and the
 * load generator (autocannon) for every measurement. Scenarios are interleaved, bridge and peer
 * alternating first, for BENCH_ROUNDS rounds (default 3) of BENCH_DURATION seconds (default 6) at
 * 50 connections. It prints medians, ranges and ratios, the start-up time and resident memory of
 * the default configuration at rest and after 60 s of load, and writes JSON to bench/results/.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { exportJWK, SignJWT, type JWK } from 'jose'
import pg from 'pg'
import { Redis } from 'ioredis'
import {
  layout,
  loadWith,
  rssMb,
  run,
  sleep,
  startProcess,
  type Sample,
  type Target,
} from './processes'

/**
 * What `npm start` sets (package.json's start script: the glibc malloc settings before `node`
 * and the V8 flags after it, which README's production section recommends), so the bridge is
 * measured as it is run.
 */
const startCommand =
  (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
    .split('&&')
    .at(-1)
    ?.trim() ?? ''
const [startVariables = '', startArguments = ''] = startCommand.split(/\bnode\b/)
const START_ENV: Record<string, string> = Object.fromEntries(
  [...startVariables.matchAll(/\b([A-Z_]+)=(\S+)/g)].map(([, name, value]) => [
    name ?? '',
    value ?? '',
  ]),
)
const START_FLAGS = startArguments.split(/\s+/).filter((word) => word.startsWith('--'))
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DURATION = Number(process.env.BENCH_DURATION ?? 6)
const SOAK_SECONDS = Number(process.env.BENCH_SOAK ?? 60)
const CONNECTIONS = 50
const POSTGRES = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const SCHEMA = 'bench'
const PREFIX = 'bench:'
const ISSUER_PREFIX = 'idp:'

const log = (line: string) => process.stderr.write(`${line}\n`)
const load = (target: Target, seconds: number, allowNon2xx = false) =>
  loadWith(target, seconds, CONNECTIONS, allowNon2xx)

log(`layout: ${layout}`)

// ---- build: the production server and the peers ------------------------------------------
await run('npm', ['run', 'build', '--silent'])
await build({
  entryPoints: { peer: 'bench/peer.ts' },
  outdir: 'dist/bench',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
})

// ---- fixtures: an upstream issuer, the signing key, a Firebase service account -------------
const upstream = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const upstreamJwk = {
  ...(await exportJWK(upstream.publicKey)),
  kid: 'bench-upstream',
  alg: 'ES256',
}
const issuerServer = createServer((req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ keys: [upstreamJwk] }))
}).listen(0, '127.0.0.1')
await new Promise((resolve) => issuerServer.once('listening', resolve))
const issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`
const upstreamToken = await new SignJWT({ email: 'ada@example.com', email_verified: true })
  .setProtectedHeader({ alg: 'ES256', kid: 'bench-upstream' })
  .setIssuer(issuer)
  .setSubject('ada')
  .setAudience('bench')
  .setIssuedAt()
  .setExpirationTime('2h')
  .sign(upstream.privateKey)
const signingJwk: JWK = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'bench-key',
  alg: 'RS256',
}
const signingKeys = JSON.stringify({ keys: [signingJwk] })
const serviceAccount = JSON.stringify({
  type: 'service_account',
  project_id: 'bench',
  client_email: 'bench@bench.iam.gserviceaccount.com',
  private_key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'pem',
    type: 'pkcs8',
  }),
})
const bridgeIssuer = 'https://bridge.bench.example'

// ---- clean state: the bench schema and key prefix ------------------------------------------
const db = new pg.Client({ connectionString: POSTGRES })
await db.connect()
await db.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`)
const redis = new Redis(REDIS)
const stale = await redis.keys(`${PREFIX}*`)
if (stale.length > 0) await redis.del(...stale)

// ---- the bridge, production start ------------------------------------------------------------
let nextPort = 18_700
const bridgePort = nextPort++
// BENCH_PROFILE=<folder>: the bridge writes a CPU profile there when the run ends.
const profile = process.env.BENCH_PROFILE
const bridge = await startProcess(
  'bridge',
  [
    ...START_FLAGS,
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
    'dist/server/main.js',
  ],
  {
    ...START_ENV,
    NODE_ENV: 'production',
    PORT: String(bridgePort),
    PUBLIC_URL: bridgeIssuer,
    SIGNING_KEYS: signingKeys,
    REDIS_URL: REDIS,
    STORE_KEY_PREFIX: PREFIX,
    DATABASE_URL: `${POSTGRES}?schema=${SCHEMA}`,
    FIREBASE_SERVICE_ACCOUNT: serviceAccount,
    UPSTREAM_ISSUERS: JSON.stringify([
      { issuer, jwksUri: issuer, audience: 'bench', userIdPrefix: ISSUER_PREFIX },
    ]),
    MINT_PER_USER: '1000000',
    MINT_PER_IP: '1000000',
    DATA_PER_USER: '1000000',
    DATA_PER_IP: '1000000',
    AUTH_FAILURE_LIMIT: '100000',
    // BENCH_METRICS=1: with /metrics on (prom-client counting every request), to see its cost.
    ...(process.env.BENCH_METRICS ? { METRICS_TOKEN: 'bench-metrics-token-0123456789abcdef' } : {}),
    // BENCH_AUDIT=1: audit events also go to a Redis Stream (every mint is one XADD).
    ...(process.env.BENCH_AUDIT ? { AUDIT_STREAM: `${PREFIX}audit` } : {}),
    // BENCH_NODE_OPTIONS: Node/V8 flags for the bridge alone (a heap-snapshot signal, GC flags).
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  },
  bridgePort,
  '/healthz',
)
const bridgeUrl = `http://127.0.0.1:${bridgePort}`
const bearer = { authorization: `Bearer ${upstreamToken}` }
const me = (await (await fetch(`${bridgeUrl}/v1/me`, { headers: bearer })).json()) as {
  userId: string
}
const signIn = await fetch(`${bridgeUrl}/v1/sessions`, {
  method: 'POST',
  headers: { ...bearer, 'content-type': 'application/json' },
  body: JSON.stringify({ transport: 'bearer' }),
})
const { secret } = (await signIn.json()) as { secret: string }
if (!secret) throw new Error(`sign-in failed: ${signIn.status}`)
const session = { authorization: `Bearer ${secret}` }
// 40 posts of the user among 400.
await db.query(`SET search_path TO "${SCHEMA}"`)
for (let i = 0; i < 400; i++) {
  await db.query(
    'INSERT INTO "Post" ("id", "title", "body", "authorId", "authorEmail") VALUES ($1, $2, $3, $4, $5)',
    [
      randomUUID(),
      `Post ${i}`,
      'Lorem ipsum dolor sit amet.',
      i % 10 === 0 ? me.userId : `${ISSUER_PREFIX}user-${i % 37}`,
      '',
    ],
  )
}

// ---- the peers -------------------------------------------------------------------------------
const peerSecret = `peer-session-${randomUUID()}`
const peerEnv = {
  BENCH_REDIS_URL: REDIS,
  BENCH_PEER_PREFIX: `${PREFIX}peer:`,
  BENCH_PEER_SECRET: peerSecret,
  BENCH_JWKS_URL: issuer,
  BENCH_ISSUER: issuer,
  BENCH_SIGNING_KEYS: signingKeys,
  BENCH_BRIDGE_ISSUER: bridgeIssuer,
  BENCH_USER_PREFIX: ISSUER_PREFIX,
  FIREBASE_SERVICE_ACCOUNT: serviceAccount,
  DATABASE_URL: `${POSTGRES}?schema=${SCHEMA}`,
}
const peers: Record<string, string> = {}
const peerPids = new Map<string, number>()
for (const [kind, path] of [
  ['hello', '/hello'],
  ['stock', '/hello'],
  ['session', '/me'],
  ['session-sign', '/token'],
  ['verify', '/me'],
  ['sign', '/token'],
  ['firebase', '/token'],
  ['prisma', '/posts'],
] as const) {
  const port = nextPort++
  const peer = await startProcess(
    `peer ${kind}`,
    ['dist/bench/peer.js', kind],
    { ...peerEnv, PORT: String(port) },
    port,
    path === '/hello' ? path : undefined,
  )
  peers[kind] = `http://127.0.0.1:${port}`
  if (peer.pid !== undefined) peerPids.set(peers[kind], peer.pid)
}

// ---- scenarios ---------------------------------------------------------------------------------
type Scenario = { name: string; bridge: Target; peer: Target; peerName: string; goal: Goal }
/** Throughput ratio; optionally p50 (`latency`) and p99 (`tail`) at most these multiples of the peer's. */
type Goal = { ratio: number; latency?: number; tail?: number }
const json = { 'content-type': 'application/json' }
const postsPath = `/v1/data/posts?filter[authorId]=${encodeURIComponent(me.userId)}&limit=20`
const scenarios: Scenario[] = [
  {
    name: 'GET /healthz',
    bridge: { url: `${bridgeUrl}/healthz` },
    peerName: 'bare Hono hello',
    peer: { url: `${peers.hello}/hello` },
    goal: { ratio: 0.5 },
  },
  {
    name: 'GET /healthz (vs stock middleware)',
    bridge: { url: `${bridgeUrl}/healthz` },
    peerName: "Hono hello behind Hono's requestId, secureHeaders and cors",
    peer: { url: `${peers.stock}/hello` },
    goal: { ratio: 2 },
  },
  {
    name: 'GET /v1/me, upstream JWT',
    bridge: { url: `${bridgeUrl}/v1/me`, headers: bearer },
    peerName: 'jose jwtVerify route',
    peer: { url: `${peers.verify}/me`, headers: bearer },
    goal: { ratio: 0.8 },
  },
  {
    name: 'GET /v1/me, session (Redis)',
    bridge: { url: `${bridgeUrl}/v1/me`, headers: session },
    peerName: 'hand-written session check: SHA-256 of the bearer secret, one Redis GET, parse',
    peer: { url: `${peers.session}/me`, headers: { authorization: `Bearer ${peerSecret}` } },
    goal: { ratio: 0.9 },
  },
  {
    name: 'POST /v1/tokens/hasura, session',
    bridge: { url: `${bridgeUrl}/v1/tokens/hasura`, method: 'POST', headers: session },
    peerName: 'the same session check, then jose RS256 signing with the same key and claims',
    peer: {
      url: `${peers['session-sign']}/token`,
      method: 'POST',
      headers: { authorization: `Bearer ${peerSecret}` },
    },
    goal: { ratio: 1.0 },
  },
  {
    name: 'POST /v1/tokens/firebase, session',
    bridge: { url: `${bridgeUrl}/v1/tokens/firebase`, method: 'POST', headers: session },
    peerName: 'firebase-admin createCustomToken',
    peer: { url: `${peers.firebase}/token`, method: 'POST', headers: json, body: '{}' },
    goal: { ratio: 3 },
  },
  {
    name: 'GET /v1/data/posts (PostgreSQL), upstream JWT',
    bridge: { url: `${bridgeUrl}${postsPath}`, headers: bearer },
    peerName: 'jose + the same Prisma query',
    peer: { url: `${peers.prisma}/posts`, headers: bearer },
    goal: { ratio: 0.9, latency: 1.25, tail: 1.5 },
  },
]

// BENCH_ONLY=<text>: only the scenarios whose name contains it (while working on one).
if (process.env.BENCH_ONLY)
  scenarios.splice(
    0,
    scenarios.length,
    ...scenarios.filter((s) => s.name.includes(String(process.env.BENCH_ONLY))),
  )

// Each side's CPU time per request is read from /proc while it is loaded.
for (const scenario of scenarios) {
  scenario.bridge.pid = bridge.pid
  scenario.peer.pid = peerPids.get(new URL(scenario.peer.url).origin)
}

const results = scenarios.map(() => ({ bridge: [] as Sample[], peer: [] as Sample[] }))
// Warm-up: JIT, connection pools, the Prisma query compiler, cached JWKS.
for (const scenario of scenarios) {
  await load(scenario.bridge, 1)
  await load(scenario.peer, 1)
}
const restRss = rssMb(bridge.pid)
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, scenario] of scenarios.entries()) {
    const order =
      (round + index) % 2 === 0 ? (['bridge', 'peer'] as const) : (['peer', 'bridge'] as const)
    for (const side of order) {
      const sample = await load(scenario[side], DURATION)
      results[index]?.[side].push(sample)
      log(
        `round ${round + 1} ${scenario.name} ${side}: ${Math.round(sample.rps)} req/s, p50 ${sample.p50} ms`,
      )
    }
  }
}
const loadedRss = rssMb(bridge.pid)
if (profile) {
  bridge.kill('SIGINT')
  await new Promise((resolve) => bridge.once('exit', resolve))
}

// ---- start-up and memory of the default configuration (npm start, nothing set) --------------
const startups: number[] = []
let defaultRest = 0
let defaultLoaded = 0
for (let attempt = 0; attempt < (SOAK_SECONDS > 0 ? 3 : 0); attempt++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bk-bench-'))
  // The first start of a folder generates the development key; the measured one is the next.
  const port = nextPort++
  const startDefault = () =>
    startProcess(
      'default',
      [...START_FLAGS, 'dist/server/main.js'],
      { ...START_ENV, BRIDGE_DATA_DIR: dataDir, PORT: String(port) },
      port,
      '/healthz',
      true,
    )
  const warm = await startDefault()
  warm.kill('SIGTERM')
  await new Promise((resolve) => warm.once('exit', resolve))
  const started = performance.now()
  const child = await startDefault()
  startups.push(Math.round(performance.now() - started))
  if (attempt === 2) {
    await sleep(1000)
    defaultRest = rssMb(child.pid)
    // 60 s of what a frontend does: who am I, list posts, mint a token, with a development token.
    const dev = await fetch(`http://127.0.0.1:${port}/dev/token`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ sub: 'ada' }),
    })
    const { token } = (await dev.json()) as { token: string }
    const auth = { authorization: `Bearer ${token}` }
    const third = Math.max(1, Math.round(SOAK_SECONDS / 3))
    await load({ url: `http://127.0.0.1:${port}/v1/me`, headers: auth }, third)
    await load(
      { url: `http://127.0.0.1:${port}/v1/data/posts?limit=20`, headers: auth },
      third,
      true,
    )
    await load(
      { url: `http://127.0.0.1:${port}/v1/tokens/hasura`, method: 'POST', headers: auth },
      third,
      true,
    )
    defaultLoaded = rssMb(child.pid)
  }
  child.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
}

// ---- report ------------------------------------------------------------------------------------
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
const range = (values: number[], digits = 0) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`
const rows = scenarios.map((scenario, index) => {
  const { bridge: b, peer: p } = results[index] ?? { bridge: [], peer: [] }
  const ratios = b.map((sample, round) => sample.rps / (p[round]?.rps ?? Number.NaN))
  const latencyRatios = b.map((sample, round) => sample.p50 / (p[round]?.p50 ?? Number.NaN))
  const ratio = median(b.map((s) => s.rps)) / median(p.map((s) => s.rps))
  const latency = median(b.map((s) => s.p50)) / Math.max(median(p.map((s) => s.p50)), 0.001)
  const tail = median(b.map((s) => s.p99)) / Math.max(median(p.map((s) => s.p99)), 0.001)
  const failures = [...b, ...p].reduce((sum, s) => sum + s.non2xx + s.errors, 0)
  const pass =
    ratio >= scenario.goal.ratio &&
    (scenario.goal.latency === undefined || latency <= scenario.goal.latency) &&
    (scenario.goal.tail === undefined || tail <= scenario.goal.tail) &&
    failures === 0
  return { scenario, b, p, ratios, latencyRatios, ratio, latency, tail, failures, pass }
})
const lines = [
  `Bridgekeeper benchmark, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s, medians (ranges)`,
  `Layout: ${layout}.`,
  '',
  '| request | bridge req/s | peer | peer req/s | ratio | goal | p50, p99 bridge / peer (ms) | CPU µs per request, bridge / peer |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (row) =>
      `| ${row.scenario.name} | ${Math.round(median(row.b.map((s) => s.rps)))} (${range(row.b.map((s) => s.rps))}) | ${row.scenario.peerName} | ${Math.round(median(row.p.map((s) => s.rps)))} (${range(row.p.map((s) => s.rps))}) | **${row.ratio.toFixed(2)}** (${range(row.ratios, 2)}) | ≥ ${row.scenario.goal.ratio}${row.scenario.goal.latency ? `, p50 ≤ ${row.scenario.goal.latency}×` : ''}${row.scenario.goal.tail ? `, p99 ≤ ${row.scenario.goal.tail}×` : ''} ${row.pass ? 'met' : 'NOT MET'} | ${median(row.b.map((s) => s.p50))}, ${median(row.b.map((s) => s.p99))} / ${median(row.p.map((s) => s.p50))}, ${median(row.p.map((s) => s.p99))} | ${median(row.b.map((s) => s.cpuUs ?? Number.NaN))} / ${median(row.p.map((s) => s.cpuUs ?? Number.NaN))} |`,
  ),
  '',
  `Production bridge resident memory: ${restRss} MB after warm-up, ${loadedRss} MB after the rounds (goal ≤ 160).`,
  `Default configuration (npm start, nothing set): healthy ${median(startups)} ms after spawn (${range(startups)}, goal ≤ 500), ${defaultRest} MB at rest (goal ≤ 90), ${defaultLoaded} MB after ${SOAK_SECONDS} s of load (goal ≤ 130).`,
  ...rows
    .filter((row) => row.failures > 0)
    .map((row) => `WARNING: ${row.scenario.name}: ${row.failures} non-2xx or failed requests`),
]
process.stdout.write(`${lines.join('\n')}\n`)
mkdirSync('bench/results', { recursive: true })
const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`
writeFileSync(
  file,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      durationSeconds: DURATION,
      scenarios: rows.map((row) => ({
        name: row.scenario.name,
        peer: row.scenario.peerName,
        goal: row.scenario.goal,
        bridge: row.b,
        peerSamples: row.p,
        ratio: row.ratio,
        ratios: row.ratios,
        latencyRatio: row.latency,
        tailRatio: row.tail,
        pass: row.pass,
      })),
      memory: {
        productionRestMb: restRss,
        productionLoadedMb: loadedRss,
        defaultRestMb: defaultRest,
        defaultLoadedMb: defaultLoaded,
      },
      startupMs: startups,
    },
    null,
    2,
  ),
)
log(`results: ${file}`)
await redis.quit()
await db.end()
issuerServer.close()
process.exit(0)
