import { describe, expect, it } from 'vitest'
import { makeTestApp } from '../helpers/test-app'

describe('security headers', () => {
  it('send a Content-Security-Policy that loads and frames nothing on every API response', async () => {
    const { app } = await makeTestApp()
    for (const [path, status] of [
      ['/healthz', 200],
      ['/v1/me', 401],
      ['/nowhere', 404],
      ['/openapi.json', 200],
      ['/.well-known/jwks.json', 200],
    ] as const) {
      const response = await app.request(path)
      expect(response.status, path).toBe(status)
      expect(response.headers.get('content-security-policy'), path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      )
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  it('serve the API reference with a pinned, integrity-checked script and a policy that allows only it', async () => {
    const { app } = await makeTestApp()
    const response = await app.request('/docs')
    expect(response.status).toBe(200)
    const html = await response.text()
    const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)]
    expect(scripts).toHaveLength(1)
    const [tag, src] = scripts[0] ?? []
    // A version in the URL (never "latest") and Subresource Integrity on the tag.
    expect(src).toMatch(
      /^https:\/\/cdn\.jsdelivr\.net\/npm\/@scalar\/api-reference@\d+\.\d+\.\d+\//,
    )
    expect(tag).toMatch(/integrity="sha384-[A-Za-z0-9+/]{64}"/)
    expect(tag).toContain('crossorigin="anonymous"')
    // No inline code that a policy would have to allow.
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([^<]*)<\/script>/g)]
    expect(inline.map((m) => (m[1] ?? '').trim())).toEqual([''])
    const csp = response.headers.get('content-security-policy') ?? ''
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/)
        return [name, values]
      }),
    )
    expect(directives['default-src']).toEqual(["'none'"])
    expect(directives['script-src']).toEqual(['https://cdn.jsdelivr.net'])
    expect(directives['connect-src']).toEqual(["'self'"])
    expect(directives['frame-ancestors']).toEqual(["'none'"])
  })
})
