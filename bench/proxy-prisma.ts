/**
 * bench/proxy-prisma.ts: median latency of listing one's own posts through the bridge (HTTP,
 * session auth, policy, Prisma on the real PostgreSQL) against the same Prisma query run
 * directly, in one run, as a ratio.
 *
 *   npx tsx bench/proxy-prisma.ts        # DATABASE_URL defaults to the local PostgreSQL
 */
import pg from 'pg'
import { posts } from '../adapters/prisma/posts'
import { openPrismaDatabase } from '../adapters/prisma/node-database'
import { testAdapter } from '../test/helpers/test-app'
import { serveBenchBridge } from './bridge'
import { medianMs } from './median'
import { bearerSession } from './sign-in'

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const schema = `bk_bench_${Date.now().toString(36)}`
const database = await openPrismaDatabase({ url, dataDir: '.data', schema })
const client = database.client as {
  post: { createMany(a: object): Promise<unknown>; findMany(a: object): Promise<unknown[]> }
}
await client.post.createMany({
  data: Array.from({ length: 500 }, (_, i) => ({
    title: `Post ${i}`,
    body: 'x'.repeat(200),
    authorId: i % 5 === 0 ? 'ada' : `user${i % 7}`,
    authorEmail: i % 5 === 0 ? 'ada@example.com' : `u${i}@example.com`,
  })),
})

const server = await serveBenchBridge({
  adapters: [
    testAdapter({ resources: [posts({ client: () => database.client, provider: 'postgresql' })] }),
  ],
})
const secret = await bearerSession(server.url, { sub: 'ada', email: 'ada@example.com' })

const throughBridge = async () => {
  const body = (await (
    await fetch(`${server.url}/v1/data/posts?filter[authorId]=ada&limit=50`, {
      headers: { authorization: `Bearer ${secret}` },
    })
  ).json()) as { data: unknown[] }
  if (body.data.length !== 50) throw new Error(`expected 50, got ${body.data.length}`)
}
const direct = async () => {
  const rows = await client.post.findMany({
    where: { AND: [{ authorId: 'ada' }] },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: 51,
    select: {
      id: true,
      createdAt: true,
      title: true,
      body: true,
      views: true,
      authorId: true,
      authorEmail: true,
    },
  })
  if (rows.length !== 51) throw new Error('direct: wrong count')
}

const directMs = await medianMs(direct)
const bridgeMs = await medianMs(throughBridge)
console.log(`Prisma findMany directly (PostgreSQL)   median ${directMs.toFixed(2)} ms`)
console.log(`through the bridge (HTTP, session)      median ${bridgeMs.toFixed(2)} ms`)
console.log(`ratio bridge : direct                   ${(bridgeMs / directMs).toFixed(2)}`)
await server.close()
await database.close()
const admin = new pg.Client({ connectionString: url })
await admin.connect()
await admin.query(`DROP SCHEMA "${schema}" CASCADE`)
await admin.end()
process.exit(0)
