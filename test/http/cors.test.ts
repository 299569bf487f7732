import { describe, expect, it } from 'vitest'
import { makeTestApp } from '../helpers/test-app'

describe('CORS', () => {
  const origin = 'https://app.example'

  it('reflects an allowed origin with credentials on a real response, and varies on Origin', async () => {
    const { app } = await makeTestApp({ ALLOWED_ORIGINS: origin })
    const response = await app.request('/healthz', { headers: { Origin: origin } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-expose-headers')).toContain('X-Request-Id')
    expect(response.headers.get('vary')).toBe('Origin')
  })

  it('gives a refused or absent origin nothing, errors included', async () => {
    const { app } = await makeTestApp({ ALLOWED_ORIGINS: origin })
    for (const headers of [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      {} as Record<string, string>,
    ]) {
      for (const path of ['/healthz', '/v1/me', '/no-such-route']) {
        const response = await app.request(path, { headers })
        expect(response.headers.get('access-control-allow-origin')).toBeNull()
        expect(response.headers.get('access-control-allow-credentials')).toBeNull()
        expect(response.headers.get('vary')).toBe('Origin')
      }
    }
  })

  it('adds the headers to error responses an allowed origin must be able to read', async () => {
    const { app } = await makeTestApp({ ALLOWED_ORIGINS: origin })
    const response = await app.request('/v1/me', { headers: { Origin: origin } })
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toContain('application/problem+json')
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('x-request-id')).toMatch(/^req_/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('answers a preflight from an allowed origin with the methods, headers and max-age', async () => {
    const { app } = await makeTestApp({ ALLOWED_ORIGINS: origin })
    const response = await app.request('/v1/tokens/hasura', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH, DELETE')
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Authorization, Content-Type, If-None-Match',
    )
    expect(response.headers.get('access-control-max-age')).toBe('600')
  })
})
