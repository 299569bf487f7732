import { describe, expect, it } from 'vitest'
import { makeTestApp } from '../helpers/test-app'

describe('a method the path has no route for', () => {
  it('answers 405 with Allow listing the path’s methods, parameters included', async () => {
    const { app } = await makeTestApp()
    const cases = [
      { method: 'DELETE', path: '/healthz', allow: ['GET', 'HEAD'] },
      { method: 'PUT', path: '/v1/sessions/sess_x_0000', allow: ['DELETE'] },
      { method: 'POST', path: '/.well-known/jwks.json', allow: ['GET', 'HEAD'] },
    ]
    for (const { method, path, allow } of cases) {
      const response = await app.request(path, { method })
      expect(response.status, `${method} ${path}`).toBe(405)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      const body = (await response.json()) as { code: string; requestId: string }
      expect(body.code).toBe('method_not_allowed')
      expect(body.requestId).toBe(response.headers.get('x-request-id'))
      expect(response.headers.get('allow')?.split(', ').sort()).toEqual([...allow].sort())
      // Like every response, it carries the security headers.
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  it('leaves a path without routes a 404, and a route’s own 404 alone', async () => {
    const { app } = await makeTestApp()
    const unknown = await app.request('/no/such/path', { method: 'DELETE' })
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get('allow')).toBeNull()
    // The route exists for DELETE: its answer (here 401, no credential) is the route's.
    const routed = await app.request('/v1/sessions/sess_x_0000', { method: 'DELETE' })
    expect(routed.status).toBe(401)
    expect(routed.headers.get('allow')).toBeNull()
  })

  it('writes one access-log line for a refused method, as for any request', async () => {
    const { app, logs } = await makeTestApp()
    logs.length = 0
    await app.request('/healthz', { method: 'DELETE' })
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>)
    const access = lines.filter((l) => l.event === 'http.request')
    expect(access).toHaveLength(1)
    expect(access[0]).toMatchObject({ method: 'DELETE', status: 405, route: '(unmatched)' })
  })

  it('logs a route’s own 404 under its route pattern, an unmatched path as (unmatched)', async () => {
    const { app, logs } = await makeTestApp()
    const session = await app.request('/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sub: 'ada' }),
    })
    const { token } = (await session.json()) as { token: string }
    logs.length = 0
    const missing = await app.request('/v1/sessions/sess_nothing_0000', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(missing.status).toBe(404)
    await app.request('/no/such/path')
    const routes = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === 'http.request')
      .map((l) => l.route)
    expect(routes).toEqual(['/v1/sessions/:id', '(unmatched)'])
  })
})
