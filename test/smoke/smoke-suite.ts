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
