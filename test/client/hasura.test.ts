import { createRemoteJWKSet, jwtVerify } from 'jose'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBridgeClient, hasuraAuth } from '../../client'
import { serveApp } from '../helpers/serve'
import { devTokens } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

let t: TestApp
let bridgeUrl: string
let hasura: { url: string; rejectNext: number; seen: string[]; close(): Promise<void> }
const closers: (() => Promise<unknown>)[] = []

/**
 * A GraphQL endpoint that checks tokens as Hasura does in JWT mode: against the bridge's JWKS,
 * answering HTTP 200 with an `invalid-jwt` error when it refuses one. `rejectNext` makes it
 * refuse the next tokens, as after a key rotation it hasn't seen yet.
 */
async function startHasuraLike(jwksUrl: string) {
  const jwks = createRemoteJWKSet(new URL(jwksUrl))
  const state = { rejectNext: 0, seen: [] as string[] }
  const server = createServer((req, res) => {
    void (async () => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
      state.seen.push(token)
      res.setHeader('content-type', 'application/json')
      try {
        if (state.rejectNext > 0) {
          state.rejectNext--
          throw new Error('rotated away')
        }
        const { payload } = await jwtVerify(token, jwks, { audience: 'hasura' })
        const claims = payload['https://hasura.io/jwt/claims'] as Record<string, string>
        res.end(JSON.stringify({ data: { me: claims['x-hasura-user-id'] } }))
      } catch {
        res.end(
          JSON.stringify({
            errors: [
              { message: 'Could not verify JWT', extensions: { code: 'invalid-jwt', path: '$' } },
            ],
          }),
        )
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1/graphql`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

beforeAll(async () => {
  t = await makeTestApp({ MINT_PER_USER: '1000' })
  const served = await serveApp(t.app)
  bridgeUrl = served.url
  hasura = await startHasuraLike(`${bridgeUrl}/.well-known/jwks.json`)
  closers.push(
    () => served.close(),
    () => hasura.close(),
  )
})
afterAll(async () => {
  for (const close of closers) await close()
})

describe('hasuraAuth', () => {
  it('sends the bridge token, and retries once with a fresh one when Hasura answers invalid-jwt', async () => {
    const client = createBridgeClient({
      url: bridgeUrl,
      channel: null,
      now: () => t.clock.now(),
      getUpstreamToken: devTokens(t, { sub: 'graphql-user' }),
    })
    const auth = hasuraAuth(client)
    const query = () =>
      auth.fetch(hasura.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me }' }),
      })
    expect(await (await query()).json()).toEqual({ data: { me: 'graphql-user' } })
    expect((await auth.headers()).Authorization).toMatch(/^Bearer ey/)

    hasura.rejectNext = 1
    const seenBefore = hasura.seen.length
    expect(await (await query()).json()).toEqual({ data: { me: 'graphql-user' } })
    const [refused, retried] = hasura.seen.slice(seenBefore)
    expect(retried).toBeDefined()
    expect(retried).not.toBe(refused)

    // A second refusal in a row is Hasura's answer, returned as it is (one retry only).
    hasura.rejectNext = 2
    const body = (await (await query()).json()) as { errors?: unknown[] }
    expect(body.errors).toHaveLength(1)
    client.close()
  })
})
