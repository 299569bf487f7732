import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { generateSigningJwk } from '../../src/keys/signing-key'
import { createMemoryStore } from '../../src/store/memory-store'
import { serveApp } from '../helpers/serve'
import { makeTestApp } from '../helpers/test-app'

/** A POST with the Host header a browser would send for a page's own name (fetch can't set it). */
function postWithHost(url: string, host: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { Host: host, 'Content-Type': 'application/json' } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('development mode and DNS rebinding', () => {
  it('answers loopback names and PUBLIC_URL, and refuses any other Host before /dev/token', async () => {
    const t = await makeTestApp()
    const server = await serveApp(t.app)
    try {
      const url = `${server.url}/dev/token`
      const port = new URL(server.url).port
      const body = JSON.stringify({ sub: 'rebound' })
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'bridge.test'])
        expect(await postWithHost(url, host, body), host).toBe(200)
      expect(await postWithHost(url, `attacker.example:${port}`, body)).toBe(403)
      expect(t.logs.some((line) => line.includes('security.development_host_refused'))).toBe(true)
    } finally {
      await server.close()
    }
  })

  it('leaves production to its proxy: any Host reaches the routes', async () => {
    const t = await makeTestApp(
      {
        BRIDGE_MODE: 'production',
        PUBLIC_URL: 'https://bridge.example',
        SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningJwk('ES256')] }),
      },
      { store: createMemoryStore() },
    )
    expect((await t.app.request('https://elsewhere.example/healthz')).status).toBe(200)
  })
})
