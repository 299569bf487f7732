import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { generateSigningJwk } from '../../src/keys/signing-key'
import type { AppEnv } from '../../src/http/app-env'
import {
  DOCS_FILES,
  referenceRoutes,
  SWAGGER_UI_INTEGRITY,
  SWAGGER_UI_VERSION,
} from '../../src/openapi/reference-page'
import { createMemoryStore } from '../../src/store/memory-store'
import { serveApp } from '../helpers/serve'
import { makeTestApp } from '../helpers/test-app'

const ORIGIN = 'https://app.example'
const API_CSP = "default-src 'none'; frame-ancestors 'none'"

/**
 * Every response of a request carries its request id, the security headers and `Vary: Origin`.
 * Served by Node they are set on its ServerResponse (http/base-headers.ts), in-process on Hono's
 * context: both paths are held to the same outcome, route overrides and handler-built responses
 * included.
 */
async function expectBaseHeaders(send: (path: string, init?: RequestInit) => Promise<Response>) {
  const cases = [
    { path: '/healthz', status: 200, cache: 'no-store', csp: API_CSP },
    { path: '/v1/me', status: 401, cache: 'no-store', csp: API_CSP },
    // An error answered by the error handler's own Response.
    { path: '/nowhere', status: 404, cache: 'no-store', csp: API_CSP },
    // A route that chooses its own caching keeps it.
    { path: '/.well-known/jwks.json', status: 200, cache: 'public, max-age=300', csp: API_CSP },
    // A page that sets its own policy and caching keeps them.
    {
      path: '/docs',
      status: 200,
      cache: 'public, max-age=300',
      csp: /script-src 'self';/,
    },
  ]
  const ids = new Set<string>()
  for (const { path, status, cache, csp } of cases) {
    const response = await send(path, { headers: { Origin: ORIGIN } })
    expect(response.status, path).toBe(status)
    const headers = response.headers
    const id = headers.get('x-request-id') ?? ''
    expect(id, path).toMatch(/^req_[0-9A-Za-z]{27}$/)
    ids.add(id)
    expect(headers.get('x-content-type-options'), path).toBe('nosniff')
    expect(headers.get('referrer-policy'), path).toBe('no-referrer')
    expect(headers.get('x-frame-options'), path).toBe('DENY')
    expect(headers.get('cross-origin-resource-policy'), path).toBe('same-site')
    expect(headers.get('cache-control'), path).toBe(cache)
    if (typeof csp === 'string') expect(headers.get('content-security-policy'), path).toBe(csp)
    else expect(headers.get('content-security-policy'), path).toMatch(csp)
    expect(headers.get('vary'), path).toBe('Origin')
    expect(headers.get('access-control-allow-origin'), path).toBe(ORIGIN)
    expect(headers.get('access-control-allow-credentials'), path).toBe('true')
    await response.arrayBuffer()
  }
  expect(ids.size).toBe(cases.length)
  // A refused origin gets no CORS grant on either path.
  const refused = await send('/healthz', { headers: { Origin: 'https://evil.example' } })
  expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  expect(refused.headers.get('vary')).toBe('Origin')
}

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

  it("are the same over real HTTP (set on Node's response) and in-process", async () => {
    const bridge = await makeTestApp(
      {
        ALLOWED_ORIGINS: ORIGIN,
        PUBLIC_URL: 'https://bridge.test',
        BRIDGE_MODE: 'production',
        SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningJwk('ES256')] }),
      },
      { store: createMemoryStore() },
    )
    const app = bridge.app
    await expectBaseHeaders(async (path, init) => app.request(path, init))
    const served = await serveApp(app)
    try {
      await expectBaseHeaders((path, init) => fetch(`${served.url}${path}`, init))
      // HSTS follows PUBLIC_URL (https here), whatever the connection looks like.
      const response = await fetch(`${served.url}/healthz`)
      expect(response.headers.get('strict-transport-security')).toBe(
        'max-age=63072000; includeSubDomains',
      )
    } finally {
      await served.close()
      await bridge.close()
    }
  })

  const directivesOf = (response: Response) =>
    Object.fromEntries(
      (response.headers.get('content-security-policy') ?? '').split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/)
        return [name, values]
      }),
    )
  const scriptsOf = (html: string) =>
    [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)].map(([tag, src]) => ({ tag, src }))

  it('serve the API reference and its files from the bridge itself, under a policy of its own origin', async () => {
    const { app } = await makeTestApp()
    const response = await app.request('/docs')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(scriptsOf(html).map((s) => s.src)).toEqual([
      '/docs/swagger-ui-bundle.js',
      '/docs/init.js',
    ])
    expect(html).toContain('<link rel="stylesheet" href="/docs/swagger-ui.css" />')
    // No inline code that a policy would have to allow.
    expect(html).not.toMatch(/<script\b(?![^>]*\bsrc=)[^>]*>/)
    const directives = directivesOf(response)
    expect(directives['default-src']).toEqual(["'none'"])
    expect(directives['script-src']).toEqual(["'self'"])
    expect(directives['connect-src']).toEqual(["'self'"])
    expect(directives['frame-ancestors']).toEqual(["'none'"])
    // The files are the installed swagger-ui-dist's, byte for byte.
    for (const [file, type] of [
      ['swagger-ui-bundle.js', /^text\/javascript/],
      ['swagger-ui.css', /^text\/css/],
    ] as const) {
      const served = await app.request(`/docs/${file}`)
      expect(served.status).toBe(200)
      expect(served.headers.get('content-type')).toMatch(type)
      expect(await served.text()).toBe(
        await readFile(createRequire(import.meta.url).resolve(`swagger-ui-dist/${file}`), 'utf8'),
      )
    }
    expect(await (await app.request('/docs/init.js')).text()).toContain("url: '/openapi.json'")
  })

  it('without local files (the Worker), load the same version from a CDN, pinned and integrity-checked', async () => {
    const app = new Hono<AppEnv>()
    referenceRoutes(app, undefined)
    const response = await app.request('/docs')
    const scripts = scriptsOf(await response.text())
    const pinned = `https://cdn.jsdelivr.net/npm/swagger-ui-dist@${SWAGGER_UI_VERSION}/swagger-ui-bundle.js`
    expect(scripts.map((s) => s.src)).toEqual([pinned, '/docs/init.js'])
    expect(scripts[0]?.tag).toContain(
      `integrity="${SWAGGER_UI_INTEGRITY['swagger-ui-bundle.js']}" crossorigin="anonymous"`,
    )
    expect(directivesOf(response)['script-src']).toEqual(["'self'", 'https://cdn.jsdelivr.net'])
    // The pins are the installed package's version and files (a dependency bump fails here).
    const installed = createRequire(import.meta.url)('swagger-ui-dist/package.json') as {
      version: string
    }
    expect(SWAGGER_UI_VERSION).toBe(installed.version)
    for (const file of DOCS_FILES) {
      const bytes = await readFile(
        createRequire(import.meta.url).resolve(`swagger-ui-dist/${file}`),
      )
      expect(SWAGGER_UI_INTEGRITY[file]).toBe(
        `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
      )
    }
  })
})
