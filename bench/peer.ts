/**
 * The peers `npm run bench` compares the bridge with: each is what a user would write with the
 * same libraries to do one of the bridge's jobs by hand, a bare Hono app on @hono/node-server
 * with no middleware. One peer per process:
 *
 *   node dist/bench/peer.js <hello|stock|session|session-sign|verify|sign|firebase|prisma>
 *
 * Configuration comes from the environment the benchmark sets (PORT, keys, issuer, database).
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createRemoteJWKSet, importJWK, jwtVerify, SignJWT, type JWK } from 'jose'

const kind = process.argv[2]
const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`peer ${String(kind)}: ${name} is not set`)
  return value
}
const app = new Hono()

/** The upstream JWT check every authenticated peer does, with jose's cached remote key set. */
function upstreamVerifier() {
  const jwks = createRemoteJWKSet(new URL(env('BENCH_JWKS_URL')))
  const issuer = env('BENCH_ISSUER')
  return async (authorization: string | undefined) => {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : ''
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: 'bench' })
    return payload
  }
}

/** The same RS256 claims as the bridge's Hasura template, signed with the same key. */
async function hasuraSigner() {
  const jwk = (JSON.parse(env('BENCH_SIGNING_KEYS')) as { keys: JWK[] }).keys[0] as JWK
  const key = await importJWK(jwk, 'RS256')
  return (userId: string) => {
    const now = Math.floor(Date.now() / 1000)
    return new SignJWT({
      'https://hasura.io/jwt/claims': {
        'x-hasura-default-role': 'user',
        'x-hasura-allowed-roles': ['user'],
        'x-hasura-user-id': userId,
      },
    })
      .setProtectedHeader({ alg: 'RS256', kid: String(jwk.kid), typ: 'JWT' })
      .setIssuer(env('BENCH_BRIDGE_ISSUER'))
      .setSubject(userId)
      .setAudience('hasura')
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + 60)
      .setJti(crypto.randomUUID())
      .sign(key)
  }
}

switch (kind) {
  case 'hello': {
    app.get('/hello', (c) => c.json({ status: 'ok' }))
    break
  }
  case 'stock': {
    // A hello behind Hono's own middleware for what the bridge's edge does on every request:
    // a request id, the security headers, CORS.
    const { requestId } = await import('hono/request-id')
    const { secureHeaders } = await import('hono/secure-headers')
    const { cors } = await import('hono/cors')
    app.use(
      requestId(),
      secureHeaders(),
      cors({ origin: 'https://app.example', credentials: true }),
    )
    app.get('/hello', (c) => c.json({ status: 'ok' }))
    break
  }
  case 'session':
  case 'session-sign': {
    // A hand-written session check: hash the bearer secret, one Redis GET, parse, answer (and, for
    // session-sign, sign the same Hasura token as the bridge with the same key).
    const { Redis } = await import('ioredis')
    const { createHash } = await import('node:crypto')
    const redis = new Redis(env('BENCH_REDIS_URL'))
    const keyOf = (secret: string) =>
      `${env('BENCH_PEER_PREFIX')}sess:${createHash('sha256').update(secret).digest('base64url')}`
    await redis.set(
      keyOf(env('BENCH_PEER_SECRET')),
      JSON.stringify({ userId: 'bench-user', roles: ['user'], expiresAt: Date.now() + 3_600_000 }),
      'PX',
      3_600_000,
    )
    const sessionOf = async (authorization: string | undefined) => {
      const secret = authorization?.startsWith('Bearer ') ? authorization.slice(7) : ''
      const raw = await redis.get(keyOf(secret))
      const session = raw ? (JSON.parse(raw) as { userId: string; expiresAt: number }) : null
      return session && session.expiresAt > Date.now() ? session : null
    }
    if (kind === 'session') {
      app.get('/me', async (c) => {
        const session = await sessionOf(c.req.header('authorization'))
        return session ? c.json(session) : c.json({ error: 'unauthorized' }, 401)
      })
      break
    }
    const sign = await hasuraSigner()
    app.post('/token', async (c) => {
      const session = await sessionOf(c.req.header('authorization'))
      if (!session) return c.json({ error: 'unauthorized' }, 401)
      return c.json({ token: await sign(session.userId), expiresIn: 60 })
    })
    break
  }
  case 'verify': {
    const verify = upstreamVerifier()
    app.get('/me', async (c) => {
      const payload = await verify(c.req.header('authorization'))
      return c.json({ userId: payload.sub, email: payload.email })
    })
    break
  }
  case 'sign': {
    const sign = await hasuraSigner()
    app.post('/token', async (c) => c.json({ token: await sign('bench-user'), expiresIn: 60 }))
    break
  }
  case 'firebase': {
    const { cert, initializeApp } = await import('firebase-admin/app')
    const { getAuth } = await import('firebase-admin/auth')
    const account = JSON.parse(env('FIREBASE_SERVICE_ACCOUNT')) as Record<string, string>
    const auth = getAuth(initializeApp({ credential: cert(account) }))
    app.post('/token', async (c) => {
      const token = await auth.createCustomToken('bench-user', { role: 'user' })
      return c.json({ token })
    })
    break
  }
  case 'prisma': {
    // The owner-scoped list the bridge runs for GET /v1/data/posts?filter[authorId]=<me>.
    const { PrismaPg } = await import('@prisma/adapter-pg')
    const { PrismaClient } = await import('../adapters/prisma/generated/postgres/client')
    const url = env('DATABASE_URL')
    const prisma = new PrismaClient({
      adapter: new PrismaPg(
        { connectionString: url },
        { schema: new URL(url).searchParams.get('schema') ?? 'public' },
      ),
    })
    const verify = upstreamVerifier()
    const prefix = env('BENCH_USER_PREFIX')
    app.get('/posts', async (c) => {
      const payload = await verify(c.req.header('authorization'))
      const rows = await prisma.post.findMany({
        where: { AND: [{ authorId: { equals: `${prefix}${String(payload.sub)}` } }] },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: 21,
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
      return c.json({ data: rows.slice(0, 20) })
    })
    break
  }
  default:
    throw new Error(`unknown peer "${String(kind)}"`)
}

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(env('PORT')) })
