import { expect } from 'vitest'
import type { TestApp } from './test-app'

/** Test helpers for signing in through the HTTP surface, as a frontend would. */
export const MINUTE = 60_000
let ipCounter = 0
/** Each test signs in from its own address so the per-IP limits of one test don't touch another. */
export const freshIp = () => `198.51.100.${++ipCounter}`

export async function devToken(t: TestApp, sub: string, email = `${sub}@example.com`) {
  const response = await t.app.request('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub, email }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { token: string }).token
}

export async function signIn(
  t: TestApp,
  sub: string,
  transport: 'bearer' | 'cookie' = 'bearer',
  ip = freshIp(),
  url = 'http://bridge.test',
) {
  const token = await devToken(t, sub)
  const response = await t.app.request(`${url}/v1/sessions`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'X-Forwarded-For': ip,
      'User-Agent': 'vitest',
    },
    body: JSON.stringify({ transport }),
  })
  return response
}

export async function bearerSession(t: TestApp, sub: string, ip?: string) {
  t.clock.advance(1) // sessions made in the same millisecond have no defined order
  const response = await signIn(t, sub, 'bearer', ip)
  expect(response.status).toBe(201)
  const body = (await response.json()) as { session: { id: string }; secret: string }
  return { id: body.session.id, secret: body.secret }
}

export const asSession = (t: TestApp, secret: string, path = '/v1/me', init: RequestInit = {}) =>
  t.app.request(path, {
    ...init,
    headers: {
      Authorization: `Bearer ${secret}`,
      'X-Forwarded-For': '192.0.2.250',
      ...(init.headers ?? {}),
    },
  })

/** The environment of the session tests: one allowed origin, client addresses from X-Forwarded-For. */
export const SESSION_ENV = {
  ALLOWED_ORIGINS: 'https://app.example',
  TRUST_PROXY: 'x-forwarded-for',
}

/** A `getUpstreamToken` for the browser client: a fresh development-issuer token for `claims`. */
export function devTokens(
  t: TestApp,
  claims: Record<string, unknown> | (() => Record<string, unknown>),
) {
  return async () => {
    const response = await t.app.request('/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(typeof claims === 'function' ? claims() : claims),
    })
    return ((await response.json()) as { token: string }).token
  }
}

/** A bearer session made from an upstream token (from any issuer), as a backend signs in. */
export async function sessionFromToken(t: Pick<TestApp, 'app'>, token: string, ip?: string) {
  const response = await t.app.request('/v1/sessions', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...(ip === undefined ? {} : { 'X-Forwarded-For': ip }),
    },
    body: JSON.stringify({ transport: 'bearer' }),
  })
  expect(response.status).toBe(201)
  return ((await response.json()) as { secret: string }).secret
}
