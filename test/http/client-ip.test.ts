import { describe, expect, it } from 'vitest'
import { clientIp } from '../../src/http/client-ip'
import { addressKey } from '../../src/http/client-ip'
import { generateSigningJwk } from '../../src/keys/signing-key'
import { createMemoryStore } from '../../src/store/memory-store'
import { makeTestApp } from '../helpers/test-app'

describe('client IP', () => {
  const headers = new Headers({
    'x-forwarded-for': '6.6.6.6, 10.0.0.1',
    'cf-connecting-ip': '7.7.7.7',
  })

  it('ignores forwarding headers unless a proxy is declared', () => {
    expect(clientIp(headers, '203.0.113.5', 'none')).toBe('203.0.113.5')
  })

  it('takes the right-most X-Forwarded-For hop behind a declared proxy', () => {
    expect(clientIp(headers, '10.0.0.2', 'x-forwarded-for')).toBe('10.0.0.1')
  })

  it('takes CF-Connecting-IP only when declared', () => {
    expect(clientIp(headers, '10.0.0.2', 'cf-connecting-ip')).toBe('7.7.7.7')
  })
})

describe('HTTP hygiene', () => {
  it('allows CORS only for exact configured origins, never null', async () => {
    const { app } = await makeTestApp({ ALLOWED_ORIGINS: 'https://app.example' })
    const preflight = (origin: string) =>
      app.request('/healthz', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      })
    expect(
      (await preflight('https://app.example')).headers.get('access-control-allow-origin'),
    ).toBe('https://app.example')
    for (const origin of [
      'null',
      'https://app.example.evil',
      'http://app.example',
      'https://evil.example',
    ]) {
      const response = await preflight(origin)
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
    }
  })

  it('sets HSTS when PUBLIC_URL is https, whatever the request URL looks like behind a proxy', async () => {
    const dev = await makeTestApp()
    for (const url of ['https://bridge.test/healthz', 'http://bridge.test/healthz']) {
      expect((await dev.app.request(url)).headers.get('strict-transport-security')).toBeNull()
    }
    const production = await makeTestApp(
      {
        BRIDGE_MODE: 'production',
        PUBLIC_URL: 'https://bridge.example',
        SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningJwk('ES256')] }),
      },
      { store: createMemoryStore() },
    )
    for (const url of ['https://bridge.example/healthz', 'http://10.0.0.7:8787/healthz']) {
      expect((await production.app.request(url)).headers.get('strict-transport-security')).toMatch(
        /max-age=/,
      )
    }
  })

  it('counts IPv6 clients by their /64 and IPv4 clients by address', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7')
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64')
    expect(addressKey('[2001:db8:1:2:aaaa::9]')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'))
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
  })

  it('does not trust a client-sent X-Forwarded-Proto or X-Forwarded-For without a proxy', async () => {
    const { app, logs } = await makeTestApp()
    const response = await app.request('http://bridge.test/healthz', {
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '1.2.3.4' },
    })
    expect(response.headers.get('strict-transport-security')).toBeNull()
    expect(logs.join('\n')).not.toContain('1.2.3.4')
  })

  it('logs one line per request without the query string or credentials', async () => {
    const { app, logs } = await makeTestApp()
    await app.request('/healthz?token=abc.def.ghi', {
      headers: { Authorization: 'Bearer zzz', Cookie: 'a=b' },
    })
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.event === 'http.request')
    expect(line).toMatchObject({ method: 'GET', route: '/healthz', status: 200 })
    expect(line.requestId).toMatch(/^req_/)
    expect(typeof line.durationMs).toBe('number')
    expect(logs.join('\n')).not.toMatch(/abc\.def\.ghi|zzz|a=b/)
  })

  it('hides the message of an unexpected error and logs it', async () => {
    const { app, logs } = await makeTestApp()
    app.get('/boom', () => {
      throw new Error('database password is hunter2')
    })
    const response = await app.request('/boom')
    expect(response.status).toBe(500)
    const body = await response.json()
    expect(body).toMatchObject({ code: 'internal', status: 500 })
    expect(JSON.stringify(body)).not.toContain('hunter2')
    expect(logs.some((l) => l.includes('http.error'))).toBe(true)
  })
})
