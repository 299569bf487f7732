import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { airtableTable } from '../../adapters/airtable/airtable-adapter'
import type { App } from '../../src/assembly/create-app'
import type { Store } from '../../src/store/types'

import { startLocalAirtable } from '../fakes/airtable/server'
import { notesResource } from '../conformance/notes-resource'
import { makeTestApp, testAdapter } from '../helpers/test-app'

const TOKEN = 'patLocalOperation.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'

async function bridge(
  base: string,
  endpointUrl: string,
  options: {
    store?: Store
    maxWaitMs?: number
    timeoutMs?: number
    token?: string
    perSecond?: number
  } = {},
) {
  const backend = airtableTable({
    baseId: base,
    table: 'Notes',
    connection: () => ({
      token: options.token ?? TOKEN,
      endpointUrl,
      maxWaitMs: options.maxWaitMs ?? 2000,
      timeoutMs: options.timeoutMs,
      requestsPerSecond: options.perSecond,
    }),
  })
  const t = await makeTestApp(
    { AUTH_FAILURE_LIMIT: '100000', DATA_PER_USER: '100000' },
    { store: options.store, adapters: [testAdapter({ resources: [notesResource(backend)] })] },
  )
  const app = t.app
  const tokens = new Map<string, Promise<string>>()
  const tokenOf = (user: string) => {
    let token = tokens.get(user)
    if (!token) {
      token = (async () => {
        const response = await app.request('/dev/token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ sub: user }),
        })
        return ((await response.json()) as { token: string }).token
      })()
      tokens.set(user, token)
    }
    return token
  }
  return {
    app,
    logs: t.logs,
    call: async (method: string, path = '', body?: unknown) =>
      call(app, await tokenOf('ops-user'), method, path, body),
    /** The same call by another user: the base budget is everyone's, each user's share is theirs. */
    callAs: async (user: string, method: string, path = '', body?: unknown) =>
      call(app, await tokenOf(user), method, path, body),
  }
}

function call(app: App, token: string, method: string, path: string, body?: unknown) {
  return app.request(`/v1/data/notes${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
}

describe('Airtable rate budget', () => {
  it('answers 503 with Retry-After when the budget cannot serve a request in time', async () => {
    const base = 'appBusyBudget00001'
    const server = await startLocalAirtable({ token: TOKEN, bases: { [base]: ['Notes'] } })
    try {
      const b = await bridge(base, server.url, { maxWaitMs: 0 })
      const statuses = (
        await Promise.all(Array.from({ length: 8 }, async (_, i) => b.callAs(`busy-${i}`, 'GET')))
      ).map((r) => r.status)
      expect(statuses.filter((s) => s === 200)).toHaveLength(1)
      expect(statuses.filter((s) => s === 503)).toHaveLength(7)
      const refused = await b.callAs('busy-late', 'GET')
      expect(refused.status).toBe(503)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    } finally {
      await server.close()
    }
  })

  it('backs off for 30 s after a 429 from Airtable, without calling it again', async () => {
    const base = 'appBackOff00000001'
    const server = await startLocalAirtable({ token: TOKEN, bases: { [base]: ['Notes'] } })
    try {
      const b = await bridge(base, server.url, { maxWaitMs: 1000 })
      server.failNext(429)
      const first = await b.call('GET')
      expect(first.status).toBe(503)
      expect(first.headers.get('retry-after')).toBe('30')
      const before = server.requestLog.length
      const second = await b.call('GET')
      expect(second.status).toBe(503)
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(25)
      expect(server.requestLog.length).toBe(before)
    } finally {
      await server.close()
    }
  })
})

describe('Airtable failures and protocol details', () => {
  it('turns 5xx into 502, a hung server into 504, a bad token into 502 without revealing it', async () => {
    const base = 'appFailures0000001'
    const server = await startLocalAirtable({
      token: TOKEN,
      bases: { [base]: ['Notes'] },
      ratePerSecond: 1000,
    })
    const hung = createServer(() => {})
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve))
    try {
      const b = await bridge(base, server.url, { perSecond: 1000 })
      server.failNext(500)
      const failed = await b.call('GET')
      expect(failed.status).toBe(502)
      expect(await failed.json()).toMatchObject({ code: 'bad_gateway' })
      const slow = await bridge(base, `http://127.0.0.1:${(hung.address() as AddressInfo).port}`, {
        timeoutMs: 300,
        perSecond: 1000,
      })
      const timedOut = await slow.call('GET')
      expect(timedOut.status).toBe(504)
      const wrong = await bridge(base, server.url, {
        token: 'patWrongWrongWron.1111',
        perSecond: 1000,
      })
      const denied = await wrong.call('GET')
      expect(denied.status).toBe(502)
      const text = await denied.text()
      expect(text).not.toContain('patWrong')
      expect(wrong.logs.join('\n')).not.toContain('patWrong')
      expect(b.logs.join('\n')).not.toContain(TOKEN)
    } finally {
      hung.closeAllConnections()
      hung.close()
      await server.close()
    }
  })

  it('answers 409 cursor_expired when Airtable dropped the iterator', async () => {
    const base = 'appCursorExpiry001'
    const server = await startLocalAirtable({
      token: TOKEN,
      bases: { [base]: ['Notes'] },
      ratePerSecond: 1000,
    })
    try {
      const b = await bridge(base, server.url, { perSecond: 1000 })
      await b.call(
        'POST',
        '',
        Array.from({ length: 5 }, (_, i) => ({ title: `n${i}`, priority: i })),
      )
      const page = (await (await b.call('GET', '?limit=2')).json()) as { nextCursor: string }
      server.expireIterators()
      const expired = await b.call('GET', `?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`)
      expect(expired.status).toBe(409)
      expect(await expired.json()).toMatchObject({ code: 'cursor_expired' })
    } finally {
      await server.close()
    }
  })

  it('switches to POST listRecords for long queries and writes at most 10 records per request', async () => {
    const base = 'appLongQuery000001'
    const server = await startLocalAirtable({
      token: TOKEN,
      bases: { [base]: ['Notes'] },
      ratePerSecond: 1000,
    })
    try {
      const b = await bridge(base, server.url, { perSecond: 1000 })
      const created = await b.call(
        'POST',
        '',
        Array.from({ length: 25 }, (_, i) => ({ title: `t${i}`, priority: i })),
      )
      expect(created.status).toBe(201)
      const writes = server.requestLog.filter(
        (r) => r.method === 'POST' && !r.path.endsWith('listRecords'),
      )
      expect(writes).toHaveLength(3)
      const values = Array.from(
        { length: 90 },
        (_, i) =>
          `filter[title][in]=${encodeURIComponent(`a-rather-long-title-value-number-${i}-${'x'.repeat(80)}`)}`,
      )
      const response = await b.call('GET', `?${values.join('&')}&filter[title][in]=t3`)
      expect(response.status).toBe(200)
      expect(
        ((await response.json()) as { data: { fields: { title: string } }[] }).data.map(
          (r) => r.fields.title,
        ),
      ).toEqual(['t3'])
      expect(
        server.requestLog.some((r) => r.method === 'POST' && r.path.endsWith('/listRecords')),
      ).toBe(true)
    } finally {
      await server.close()
    }
  })
})
