import { decodeJwt } from 'jose'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { prismaAdapter } from '../../adapters/prisma'
import {
  BridgeError,
  convexAuth,
  createBridgeClient,
  supabaseAccessToken,
  type BridgeClient,
} from '../../client'
import { defineJwtTemplate } from '../../src/tokens/bridge-jwt'
import { serveApp } from '../helpers/serve'
import { devTokens } from '../helpers/sign-in'
import { deploymentResources, makeTestApp, testAdapter } from '../helpers/test-app'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

/** A real bridge on loopback, and a way to make clients of it signed in as `sub`. */
async function bridge(
  env: Record<string, string> = {},
  adapters = [testAdapter({ templates: [short] })],
) {
  const t = await makeTestApp({ MINT_PER_USER: '100000', ...env }, { adapters })
  const server = await serveApp(t.app)
  cleanups.push(
    () => server.close(),
    () => t.close(),
  )
  const devToken = async (sub: string) => {
    const response = await t.app.request('/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sub, email: `${sub}@example.com` }),
    })
    return ((await response.json()) as { token: string }).token
  }
  const client = (sub: string, extra: Partial<Parameters<typeof createBridgeClient>[0]> = {}) => {
    const c = createBridgeClient({
      url: server.url,
      getUpstreamToken: () => devToken(sub),
      now: () => t.clock.now(),
      channel: null,
      ...extra,
    })
    cleanups.push(() => c.close())
    return c
  }
  const mints = () => t.logs.filter((l) => l.includes('"token.minted"')).length
  return { t, url: server.url, client, mints }
}

/** A template with a short life, to watch refreshes. */
const short = defineJwtTemplate({ name: 'short', audience: 'short-lived', lifetimeSeconds: 20 })

describe('bridgekeeper/client tokens', () => {
  it('makes 50 concurrent getToken calls cost exactly one mint', async () => {
    const { client, mints } = await bridge()
    const c = client('crowd')
    const tokens = await Promise.all(Array.from({ length: 50 }, () => c.getToken('hasura')))
    expect(new Set(tokens).size).toBe(1)
    expect(mints()).toBe(1)
    // skipCache callers share one request too.
    await Promise.all(Array.from({ length: 10 }, () => c.getToken('hasura', { skipCache: true })))
    expect(mints()).toBe(2)
  })

  it('never hands out a token with less than the leeway left, and never fails while refreshing', async () => {
    const { t, client } = await bridge()
    const c = client('ticker', { leewaySeconds: 5 })
    for (let second = 0; second < 90; second++) {
      const token = await c.getToken('short')
      const left = (decodeJwt(token).exp ?? 0) * 1000 - t.clock.now()
      expect(left).toBeGreaterThanOrEqual(5000)
      t.clock.advance(1000)
    }
  })

  it('waits as long as Retry-After says on a 429, then gets its token', async () => {
    const { t, client } = await bridge({ MINT_PER_USER: '1', MINT_WINDOW: '1' })
    const statuses: number[] = []
    const c = client('throttled', {
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input
        if (url.includes('/v1/tokens/')) statuses.push(response.status)
        // The bridge's clock is the test's: move it as far as the client waited.
        if (response.status === 429)
          t.clock.advance(Number(response.headers.get('retry-after')) * 1000)
        return response
      },
    })
    await c.getToken('hasura')
    const started = Date.now()
    const token = await c.getToken('hasura', { skipCache: true })
    expect(token.split('.')).toHaveLength(3)
    expect(statuses).toEqual([200, 429, 200])
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('asks for an organization the user belongs to, and is refused one they do not', async () => {
    const { t, url } = await bridge()
    const c = createBridgeClient({
      url,
      channel: null,
      now: () => t.clock.now(),
      getUpstreamToken: devTokens(t, { sub: 'member', orgId: 'acme' }),
    })
    cleanups.push(() => c.close())
    const token = await c.getToken('api', { orgId: 'acme' })
    expect(decodeJwt(token).org).toBe('acme')
    const refused = await c.getToken('api', { orgId: 'globex' }).catch((e: unknown) => e)
    expect(refused).toMatchObject({ status: 403, code: 'forbidden' })
  })

  it('fails at once on other 4xx, with the problem as a typed BridgeError', async () => {
    const { client } = await bridge()
    const error = await client('nobody')
      .getToken('no-such-template')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BridgeError)
    expect(error).toMatchObject({ status: 404, code: 'not_found' })
    expect((error as BridgeError).requestId).toMatch(/^req_/)
  })

  it('clears its cache and fires onSignedOut when the bridge answers 401', async () => {
    const { client, mints } = await bridge({
      ADMIN_API_KEY: 'client-test-admin-key-0123456789abcd',
    })
    const c = client('revoked')
    await c.signIn()
    const first = await c.getToken('hasura')
    let signedOut = 0
    c.onSignedOut(() => signedOut++)
    // Signed out everywhere from another device.
    const other = client('revoked')
    await other.signIn()
    await other.signOut({ everywhere: true })
    const error = await c.getToken('hasura', { skipCache: true }).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 401 })
    expect(signedOut).toBe(1)
    // The cached token is gone: the next call mints again (with the upstream credential).
    const before = mints()
    expect(await c.getToken('hasura')).not.toBe(first)
    expect(mints()).toBe(before + 1)
  })

  it('shares fresh tokens and sign-outs with other tabs over BroadcastChannel', async () => {
    const { client, mints } = await bridge()
    const channel = `bridgekeeper-test-${crypto.randomUUID()}`
    const [tabA, tabB] = [client('tabs', { channel }), client('tabs', { channel })]
    const token = await tabA.getToken('hasura')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await tabB.getToken('hasura')).toBe(token)
    expect(mints()).toBe(1)
    const noticed = new Promise<number>((resolve) => {
      const started = Date.now()
      tabB.onSignedOut(() => resolve(Date.now() - started))
    })
    await tabA.signIn()
    await tabA.signOut({ everywhere: true })
    expect(await noticed).toBeLessThan(1000)
  })
})

describe('bridgekeeper/client refusals and auth state', () => {
  it("fails at once, with the bridge's actionable detail, on an answer that won't change (501)", async () => {
    const { client } = await bridge()
    let calls = 0
    const c = client('unconfigured', {
      fetch: (input, init) => {
        calls++
        return fetch(input, init)
      },
    })
    const before = calls
    const refused = await c.getToken('firebase').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(BridgeError)
    expect(refused).toMatchObject({ status: 501, code: 'not_configured' })
    expect((refused as Error).message).toMatch(/FIREBASE_SERVICE_ACCOUNT/)
    // The identity lookup and one mint: no retries.
    expect(calls - before).toBeLessThanOrEqual(2)
  })

  it('tells listeners when the user signs in and out', async () => {
    const { client } = await bridge()
    const c = client('stateful')
    const states: string[] = []
    c.onAuthStateChange((state) => states.push(state))
    await c.signIn()
    await c.signOut()
    expect(states).toEqual(['signed-in', 'signed-out'])
  })
})

/** Two tabs on one BroadcastChannel of their own, signed in as `a` and `b`. */
function tabsOf(
  client: (sub: string, extra: { channel: string }) => BridgeClient,
  a: string,
  b: string,
) {
  const channel = `bridgekeeper-test-${crypto.randomUUID()}`
  return [client(a, { channel }), client(b, { channel })] as const
}
/** Long enough for a message to reach the other tabs. */
const heard = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('bridgekeeper/client across tabs of different users', () => {
  it('never takes a token another tab minted for another user, nor hands its own to it', async () => {
    const { client, mints } = await bridge()
    const [alice, mallory] = tabsOf(client, 'alice', 'mallory')
    const alicesToken = await alice.getToken('hasura')
    await heard()
    const mallorysToken = await mallory.getToken('hasura')
    expect(mallorysToken).not.toBe(alicesToken)
    expect(mints()).toBe(2)
    await heard()
    // Mallory's fresh token went out on the channel too: Alice's tab kept her own.
    expect(await alice.getToken('hasura')).toBe(alicesToken)
    expect(mints()).toBe(2)
    alice.close()
    mallory.close()
  })
})

describe('bridgekeeper/client data', () => {
  let client: BridgeClient

  it('iterates over every own row exactly once, across pages', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bk-client-'))
    const b = await bridge(
      { DATABASE_URL: `file:${join(dir, 'bridgekeeper.db')}`, DATA_PER_USER: '100000' },
      [prismaAdapter, deploymentResources],
    )
    client = b.client('iterator')
    const other = b.client('someone-else')
    for (let i = 0; i < 5; i++) await other.data('posts').create({ title: `theirs ${i}` })
    const created = new Set<string>()
    for (let i = 0; i < 23; i++)
      created.add((await client.data('posts').create({ title: `mine ${i}` })).id)
    const seen: string[] = []
    for await (const row of client
      .data('posts')
      .iterate({ filter: { authorId: 'iterator' }, limit: 5 }))
      seen.push(row.id)
    expect(seen).toHaveLength(23)
    expect(new Set(seen)).toEqual(created)
    const refused = await other
      .data('posts')
      .update(seen[0] ?? '', { title: 'not yours' })
      .catch((e: unknown) => e)
    expect(refused).toMatchObject({ status: 404, code: 'not_found' })
    // "Can I?" before showing an edit button: the author may, another user may only read.
    expect((await client.data('posts').permissions(seen[0])).operations).toMatchObject({
      update: true,
      delete: true,
    })
    expect((await other.data('posts').permissions(seen[0])).operations).toMatchObject({
      get: true,
      update: false,
      delete: false,
    })
    expect((await other.data('posts').permissions()).fields.creatable).toEqual(['title', 'body'])
    const invalid = await client
      .data('posts')
      .create({ title: 'x', views: 3 })
      .catch((e: unknown) => e)
    expect(invalid).toMatchObject({ status: 422, code: 'field_not_writable', field: 'views' })
    await client.data('posts').delete(seen[0] ?? '')
    await expect(client.data('posts').get(seen[0] ?? '')).rejects.toMatchObject({ status: 404 })
  })
})

/**
 * supabase-js's contract for third-party auth: `accessToken` is an async function it calls before
 * each request and sends the result as `Authorization: Bearer`. This stand-in calls it as
 * supabase-js's fetch wrapper does.
 */
async function supabaseLikeRequest(accessToken: () => Promise<string | null>) {
  const token = await accessToken()
  return { Authorization: `Bearer ${token}` }
}

/**
 * Convex's contract for `setAuth(fetchToken)`: it calls `fetchToken({ forceRefreshToken: false })`
 * to authenticate, and again with `forceRefreshToken: true` when the server refused the token;
 * null means signed out.
 */
async function convexLikeSession(
  fetchToken: (a: { forceRefreshToken: boolean }) => Promise<string | null>,
) {
  const first = await fetchToken({ forceRefreshToken: false })
  const again = await fetchToken({ forceRefreshToken: false })
  const refreshed = await fetchToken({ forceRefreshToken: true })
  return { first, again, refreshed }
}

describe('bridgekeeper/client helpers for supabase-js and Convex', () => {
  it('supabaseAccessToken hands supabase-js the bridge’s supabase token, from the cache', async () => {
    const { client, mints } = await bridge()
    const accessToken = supabaseAccessToken(client('supa'))
    const before = mints()
    const headers = [await supabaseLikeRequest(accessToken), await supabaseLikeRequest(accessToken)]
    expect(headers[0]).toEqual(headers[1])
    const token = (headers[0]?.Authorization ?? '').replace('Bearer ', '')
    expect(decodeJwt(token)).toMatchObject({ sub: 'supa', role: 'authenticated' })
    expect(mints() - before).toBe(1)
  })

  it('convexAuth caches, mints afresh when Convex forces a refresh, and says signed out as null', async () => {
    const { client } = await bridge()
    const session = await convexLikeSession(convexAuth(client('convexer')))
    expect(session.first).toBe(session.again)
    expect(session.refreshed).not.toBe(session.first)
    expect(decodeJwt(session.refreshed ?? '')).toMatchObject({ sub: 'convexer' })
    const signedOut = convexAuth(client('nobody', { getUpstreamToken: async () => null }))
    expect(await signedOut({ forceRefreshToken: false })).toBeNull()
  })
})
