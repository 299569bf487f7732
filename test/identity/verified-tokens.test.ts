import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { manualClock } from '../../src/clock'
import type { Principal } from '../../src/identity/principal'
import { VERIFIED_TOKEN_TTL_MS, verifiedTokenCache } from '../../src/identity/verified-tokens'
import { makeTestApp, type TestApp } from '../helpers/test-app'
import { issuerEnv, startOidcIssuer, type OidcIssuer } from '../fakes/oidc-issuer'

let issuer: OidcIssuer
let t: TestApp

beforeAll(async () => {
  issuer = await startOidcIssuer()
  await issuer.addKey('ES256')
  t = await makeTestApp({ UPSTREAM_ISSUERS: issuerEnv(issuer), AUTH_FAILURE_LIMIT: '10000' })
})
afterAll(() => issuer.close())

const me = (token: string) =>
  t.app.request('/v1/me', { headers: { Authorization: `Bearer ${token}` } })

describe('verified upstream tokens are remembered, never beyond what they allow', () => {
  it('accepts a remembered token until its exp (plus the configured 5 s skew), never after', async () => {
    const token = await issuer.sign({}, { now: t.clock.now(), expiresIn: 30 })
    expect((await me(token)).status).toBe(200)
    t.clock.advance(20_000)
    expect((await me(token)).status).toBe(200)
    t.clock.advance(16_000)
    expect((await me(token)).status).toBe(401)
  })

  it('matches the whole token: a remembered one with another signature or payload is refused', async () => {
    const token = await issuer.sign({}, { now: t.clock.now() })
    expect((await me(token)).status).toBe(200)
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const otherSignature = `${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`
    expect((await me(`${header}.${payload}.${otherSignature}`)).status).toBe(401)
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone_else' })).toString(
      'base64url',
    )
    expect((await me(`${header}.${forged}.${signature}`)).status).toBe(401)
    expect((await me(`${token} `.trim())).status).toBe(200)
  })
})

describe('verifiedTokenCache', () => {
  const principal = (expiresAt: number): Principal => ({
    userId: 'u',
    issuer: 'https://idp.example',
    email: undefined,
    emailVerified: false,
    roles: ['reader'],
    orgId: undefined,
    claims: {},
    sessionId: undefined,
    expiresAt,
    method: 'upstream_jwt',
  })

  it('forgets an entry after the reuse limit even when the token lives longer', () => {
    const clock = manualClock(1_000_000)
    const cache = verifiedTokenCache(clock)
    cache.set('t', principal(clock.now() + 3_600_000), undefined)
    clock.advance(VERIFIED_TOKEN_TTL_MS - 1)
    expect(cache.get('t')).toBeDefined()
    clock.advance(1)
    expect(cache.get('t')).toBeUndefined()
  })

  it('hands out a principal nobody can change', () => {
    const clock = manualClock(1_000_000)
    const cache = verifiedTokenCache(clock)
    cache.set('t', principal(clock.now() + 10_000), undefined)
    const remembered = cache.get('t')?.principal as Principal
    expect(() => {
      ;(remembered as { userId: string }).userId = 'admin:root'
    }).toThrow()
    expect(() => remembered.roles.push('admin')).toThrow()
  })

  it('stays bounded however many tokens arrive', () => {
    const clock = manualClock(1_000_000)
    const cache = verifiedTokenCache(clock)
    for (let i = 0; i < 25_000; i++)
      cache.set(`token-${i}`, principal(clock.now() + 10_000), undefined)
    expect(cache.size).toBeLessThanOrEqual(10_000)
    expect(cache.get('token-24999')).toBeDefined()
    expect(cache.get('token-0')).toBeUndefined()
  })

  it('stays within its byte bound however large the tokens and claims are', () => {
    const clock = manualClock(1_000_000)
    const maxBytes = 4 * 1024 * 1024
    const cache = verifiedTokenCache(clock, maxBytes)
    const claims = { blob: 'c'.repeat(16_000) }
    for (let i = 0; i < 2_000; i++) {
      const token = `${i}.`.padEnd(4_000, 't')
      cache.set(token, { ...principal(clock.now() + 10_000), claims }, undefined)
      expect(cache.bytes).toBeLessThanOrEqual(maxBytes)
    }
    expect(cache.size).toBeGreaterThan(0)
    expect(cache.get(`${1999}.`.padEnd(4_000, 't'))).toBeDefined()
    // A single token too large for its share of the cache is verified every time instead.
    cache.set(
      'huge',
      { ...principal(clock.now() + 10_000), claims: { blob: 'x'.repeat(maxBytes) } },
      undefined,
    )
    expect(cache.get('huge')).toBeUndefined()
  })
})
