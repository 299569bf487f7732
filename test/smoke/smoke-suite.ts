import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'

export type Fetcher = (request: Request) => Promise<Response>

const BASE = 'http://bridge.test'
const REQUEST_ID = /^req_[0-9A-Za-z]{27}$/

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const body = (await response.json()) as Record<string, unknown>
  expect(body).toMatchObject({ status, code, type: `urn:bridgekeeper:problem:${code}` })
  expect(typeof body.title).toBe('string')
  expect(body.requestId).toBe(response.headers.get('x-request-id'))
  expect(JSON.stringify(body)).not.toMatch(/stack|at \w+ \(/)
  return body
}

/**
 * The HTTP smoke suite. It runs unchanged against the Node app and inside workerd, so both
 * runtimes are held to the same behaviour.
 */
export function defineSmokeSuite(runtime: string, fetcher: Fetcher) {
  const send = (path: string, init?: RequestInit) => fetcher(new Request(`${BASE}${path}`, init))

  describe(`smoke (${runtime})`, () => {
    it('answers /healthz with a request id', async () => {
      const response = await send('/healthz')
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ status: 'ok' })
      expect(response.headers.get('x-request-id')).toMatch(REQUEST_ID)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('cache-control')).toBe('no-store')
    })

    it('gives each request its own id and ignores one the client sends', async () => {
      const first = await send('/healthz', { headers: { 'X-Request-Id': 'req_forged' } })
      const second = await send('/healthz')
      expect(first.headers.get('x-request-id')).toMatch(REQUEST_ID)
      expect(first.headers.get('x-request-id')).not.toBe('req_forged')
      expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'))
    })

    it('answers /readyz when the store answers', async () => {
      const response = await send('/readyz')
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ status: 'ready' })
    })

    it('serves the OpenAPI document and the docs page', async () => {
      const doc = await send('/openapi.json')
      expect(doc.status).toBe(200)
      const body = (await doc.json()) as { openapi: string; paths: Record<string, unknown> }
      expect(body.openapi).toBe('3.1.0')
      expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']))
      const docs = await send('/docs')
      expect(docs.status).toBe(200)
      expect(docs.headers.get('content-type')).toMatch(/text\/html/)
      expect(await docs.text()).toContain('/openapi.json')
    })

    it('answers an unknown route with a problem 404', async () => {
      await expectProblem(await send('/no/such/route'), 404, 'not_found')
    })

    it('answers a wrong method with 405 and Allow', async () => {
      const response = await send('/healthz', { method: 'DELETE' })
      await expectProblem(response, 405, 'method_not_allowed')
      expect(response.headers.get('allow')).toContain('GET')
    })

    it('refuses a body over the limit with 413', async () => {
      const big = JSON.stringify({ pad: 'x'.repeat(70 * 1024) })
      const response = await send('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: big,
      })
      await expectProblem(response, 413, 'payload_too_large')
    })

    it('refuses malformed JSON with 400', async () => {
      const response = await send('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"sub": "user_1",',
      })
      await expectProblem(response, 400, 'malformed_json')
    })

    it('refuses a body that is not JSON with 415', async () => {
      const response = await send('/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: 'sub=user_1',
      })
      await expectProblem(response, 415, 'unsupported_media_type')
    })
  })
}

/**
 * What a frontend does with the bridge, in both runtimes: JWKS, Hasura and Firebase tokens, a
 * session's life, and own rows from Airtable (local server) and from Prisma (SQLite or D1).
 */
export function defineProviderSmokeSuite(runtime: string, fetcher: Fetcher) {
  const send = (path: string, init?: RequestInit) => fetcher(new Request(`${BASE}${path}`, init))
  const login = async (sub: string, email: string) => {
    const response = await send('/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sub, email }),
    })
    return ((await response.json()) as { token: string }).token
  }
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

  describe(`provider smoke (${runtime})`, () => {
    it('serves the JWKS with its cache headers', async () => {
      const response = await send('/.well-known/jwks.json')
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/)
      expect(response.headers.get('etag')).toBeTruthy()
      const { keys } = (await response.json()) as {
        keys: { kid?: string; alg?: string; use?: string; d?: string }[]
      }
      expect(keys.length).toBeGreaterThan(0)
      for (const key of keys) {
        expect(key).toMatchObject({ use: 'sig' })
        expect(key.kid && key.alg).toBeTruthy()
        expect(key.d).toBeUndefined()
      }
    })

    it('mints a Hasura token that verifies against the JWKS', async () => {
      const response = await send('/v1/tokens/hasura', {
        method: 'POST',
        headers: bearer(await login('smoke-hasura', 'h@example.com')),
      })
      expect(response.status).toBe(200)
      const { token } = (await response.json()) as { token: string }
      const jwks = (await (await send('/.well-known/jwks.json')).json()) as JSONWebKeySet
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
        issuer: 'http://bridge.test',
        audience: 'hasura',
      })
      expect(payload['https://hasura.io/jwt/claims']).toMatchObject({
        'x-hasura-user-id': 'smoke-hasura',
        'x-hasura-default-role': 'user',
      })
    })

    it('mints a Firebase custom token', async () => {
      const response = await send('/v1/tokens/firebase', {
        method: 'POST',
        headers: bearer(await login('smoke-firebase', 'f@example.com')),
      })
      expect(response.status).toBe(200)
      const { token } = (await response.json()) as { token: string }
      expect(decodeJwt(token)).toMatchObject({
        uid: 'smoke-firebase',
        aud: 'https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit',
      })
    })

    it('creates a session, uses it, revokes it', async () => {
      const created = await send('/v1/sessions', {
        method: 'POST',
        headers: {
          ...bearer(await login('smoke-session', 's@example.com')),
          'Content-Type': 'application/json',
        },
        body: '{"transport":"bearer"}',
      })
      expect(created.status).toBe(201)
      const { session, secret } = (await created.json()) as {
        session: { id: string }
        secret: string
      }
      expect((await send('/v1/me', { headers: bearer(secret) })).status).toBe(200)
      expect(
        (await send(`/v1/sessions/${session.id}`, { method: 'DELETE', headers: bearer(secret) }))
          .status,
      ).toBe(204)
      expect((await send('/v1/me', { headers: bearer(secret) })).status).toBe(401)
    })

    it("lists only the caller's rows from Airtable", async () => {
      const response = await send('/v1/data/apartments', {
        headers: bearer(await login('ada', 'ada@example.com')),
      })
      expect(response.status).toBe(200)
      const { data } = (await response.json()) as {
        data: { fields: { Name: string; Email: string } }[]
      }
      expect(data.map((r) => r.fields.Name).sort()).toEqual(['Canal loft', 'Garden flat'])
      expect(data.every((r) => r.fields.Email === 'ada@example.com')).toBe(true)
    })

    it('creates and lists own rows through Prisma', async () => {
      const ada = bearer(await login('smoke-author', 'author@example.com'))
      const title = `Smoke ${crypto.randomUUID()}`
      const created = await send('/v1/data/posts', {
        method: 'POST',
        headers: { ...ada, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title }),
      })
      expect(created.status).toBe(201)
      const { data } = (await (
        await send('/v1/data/posts?filter[authorId]=smoke-author', { headers: ada })
      ).json()) as { data: { fields: { title: string; authorId: string } }[] }
      expect(data.map((r) => r.fields.title)).toContain(title)
      const other = bearer(await login('smoke-other', 'other@example.com'))
      const id = ((await created.json()) as { id: string }).id
      expect(
        (
          await send(`/v1/data/posts/${id}`, {
            method: 'PATCH',
            headers: { ...other, 'Content-Type': 'application/json' },
            body: '{"title":"x"}',
          })
        ).status,
      ).toBe(404)
    })
  })
}
