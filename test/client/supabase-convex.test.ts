import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { convexAuth, createBridgeClient, supabaseAccessToken } from '../../client'
import { serveApp } from '../helpers/serve'
import { devTokens } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

let t: TestApp
let server: Awaited<ReturnType<typeof serveApp>>
beforeAll(async () => {
  t = await makeTestApp({ MINT_PER_USER: '1000' })
  server = await serveApp(t.app)
})
afterAll(() => server.close())

const bridgeFor = (sub: string) =>
  createBridgeClient({
    url: server.url,
    channel: null,
    now: () => t.clock.now(),
    getUpstreamToken: devTokens(t, { sub }),
  })
const mints = () => t.logs.filter((line) => line.includes('"token.minted"')).length

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

describe('supabase-js and Convex helpers', () => {
  it('supabaseAccessToken hands supabase-js the bridge’s supabase token, from the cache', async () => {
    const accessToken = supabaseAccessToken(bridgeFor('supa'))
    const before = mints()
    const headers = [await supabaseLikeRequest(accessToken), await supabaseLikeRequest(accessToken)]
    expect(headers[0]).toEqual(headers[1])
    const token = (headers[0]?.Authorization ?? '').replace('Bearer ', '')
    expect(decodeJwt(token)).toMatchObject({ sub: 'supa', role: 'authenticated' })
    expect(mints() - before).toBe(1)
  })

  it('convexAuth caches, mints afresh when Convex forces a refresh, and says signed out as null', async () => {
    const bridge = bridgeFor('convexer')
    const session = await convexLikeSession(convexAuth(bridge))
    expect(session.first).toBe(session.again)
    expect(session.refreshed).not.toBe(session.first)
    expect(decodeJwt(session.refreshed ?? '')).toMatchObject({ sub: 'convexer' })
    await bridge.signOut().catch(() => undefined)
    const signedOut = convexAuth(
      createBridgeClient({ url: server.url, channel: null, getUpstreamToken: async () => null }),
    )
    expect(await signedOut({ forceRefreshToken: false })).toBeNull()
  })
})
