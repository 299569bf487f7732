import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnBuiltBridge } from '../helpers/built-bridge'
import { freePort } from '../helpers/child-process'

/** A raw HTTP/1.1 request, so the test decides exactly which framing headers are sent. */
function raw(
  port: number,
  options: { method: string; path: string; headers: Record<string, string>; chunks?: string[] },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = ''
        res.on('data', (chunk) => (body += String(chunk)))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    for (const chunk of options.chunks ?? []) req.write(chunk)
    req.end()
  })
}

describe('npm start (the compiled Node entry) with no configuration', () => {
  // dist/ is built once for the e2e tier (test/helpers/e2e-build.ts), as `npm start` builds first.
  it('serves a development bridge from dist/, keeps a private key, and answers requests of every framing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bk-data-'))
    const port = await freePort()
    // One process (no npm wrapper), so stopping it stops the server; no run-time transpiler.
    const bridge = await spawnBuiltBridge({ port, dataDir })
    const { child } = bridge
    let privateMember = '\u0000'
    try {
      await bridge.listening()
      expect(bridge.output()).toContain(`http://localhost:${port}/healthz`)
      expect(bridge.output()).toContain('development')
      const base = `http://127.0.0.1:${port}`
      expect((await fetch(`${base}/healthz`)).status).toBe(200)
      expect((await fetch(`${base}/readyz`)).status).toBe(200)
      expect((await fetch(`${base}/openapi.json`)).status).toBe(200)
      expect((await fetch(`${base}/docs`)).status).toBe(200)
      expect((await fetch(`${base}/demo`)).status).toBe(200)
      const keyFile = join(dataDir, 'signing-keys.json')
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
      const keys = JSON.parse(await readFile(keyFile, 'utf8')) as {
        keys: { kid: string; d?: string }[]
      }
      expect(keys.keys[0]?.kid).toMatch(/^key_/)
      expect(keys.keys[0]?.d).toBeDefined()
      privateMember = keys.keys[0]?.d ?? ''

      const json = { 'content-type': 'application/json' }
      const login = await raw(port, {
        method: 'POST',
        path: '/dev/token',
        headers: json,
        chunks: [JSON.stringify({ sub: 'ada' })],
      })
      expect(login.status).toBe(200)
      const auth = {
        authorization: `Bearer ${(JSON.parse(login.body) as { token: string }).token}`,
      }
      // HTTP/1.1 without Content-Length or Transfer-Encoding: no body, the mint needs none.
      const mint = await raw(port, { method: 'POST', path: '/v1/tokens/hasura', headers: auth })
      expect(mint.status).toBe(200)
      expect(JSON.parse(mint.body)).toMatchObject({ expiresIn: expect.any(Number) })
      // A declared length over the limit, and a chunked body over the limit: 413 either way.
      const big = JSON.stringify({ pad: 'x'.repeat(70 * 1024) })
      const declared = await raw(port, {
        method: 'POST',
        path: '/v1/tokens/hasura',
        headers: { ...auth, ...json, 'content-length': String(big.length) },
        chunks: [big],
      })
      expect(declared.status).toBe(413)
      const chunked = await raw(port, {
        method: 'POST',
        path: '/v1/tokens/hasura',
        headers: { ...auth, ...json, 'transfer-encoding': 'chunked' },
        chunks: [big.slice(0, 40_000), big.slice(40_000)],
      })
      expect(chunked.status).toBe(413)
      // A body that isn't declared JSON is refused before anything reads it.
      const form = await raw(port, {
        method: 'POST',
        path: '/v1/tokens/hasura',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        chunks: ['orgId=x'],
      })
      expect(form.status).toBe(415)
      // The embedded database's sample posts (seeded with the SQLite driver, read through Prisma).
      const posts = await fetch(`${base}/v1/data/posts?limit=10`, { headers: auth })
      expect(posts.status).toBe(200)
      const list = (await posts.json()) as { data: { fields: { title: string } }[] }
      expect(list.data.map((row) => row.fields.title)).toContain('Welcome to Bridgekeeper')
    } finally {
      child.kill('SIGTERM')
      await bridge.exited
    }
    const output = bridge.output()
    // Log lines are JSON on stdout, one access line per request, flushed before the exit.
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string; route?: string; status?: number })
    expect(lines.filter((l) => l.event === 'http.request').length).toBeGreaterThanOrEqual(10)
    expect(lines).toContainEqual(expect.objectContaining({ event: 'http.request', status: 413 }))
    expect(lines.at(-1)?.event).toBe('process.shutdown')
    expect(output).not.toContain(privateMember)
  }, 60_000)

  it('on SIGTERM finishes the requests in flight, logs each, and logs process.shutdown last', async () => {
    const port = await freePort()
    const bridge = await spawnBuiltBridge({ port })
    const { child } = bridge
    await bridge.listening()
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)

    // Five requests whose bodies are half sent when the signal arrives.
    const body = JSON.stringify({ sub: 'in-flight' })
    const inFlight = Array.from({ length: 5 }, () => {
      let finish: () => void = () => undefined
      const answer = new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/dev/token',
            headers: { 'content-type': 'application/json', 'content-length': body.length },
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode ?? 0))
          },
        )
        req.on('error', reject)
        req.write(body.slice(0, 5))
        finish = () => req.end(body.slice(5))
      })
      return { answer, finish: () => finish() }
    })
    await new Promise((r) => setTimeout(r, 300))
    child.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 300))
    // New connections are refused while the old ones finish.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
    for (const request of inFlight) request.finish()
    expect(await Promise.all(inFlight.map((r) => r.answer))).toEqual([200, 200, 200, 200, 200])
    expect(await bridge.exited).toBe(0)

    const lines = bridge
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string; route?: string; status?: number })
    const answered = lines.filter((l) => l.event === 'http.request' && l.route === '/dev/token')
    expect(answered).toHaveLength(5)
    expect(lines.at(-1)?.event).toBe('process.shutdown')
    expect(lines.filter((l) => l.event === 'process.shutdown')).toHaveLength(1)
  }, 60_000)

  it('says a port in use is in use, in one line, and exits 1', async () => {
    const port = await freePort()
    const holder = createServer().listen(port, '127.0.0.1')
    await new Promise((resolve) => holder.once('listening', resolve))
    try {
      const bridge = await spawnBuiltBridge({ port })
      expect(await bridge.exited).toBe(1)
      expect(bridge.stderr()).toBe(
        `bridgekeeper: 127.0.0.1:${port} is already in use (another bridge running?); set PORT to another port\n`,
      )
    } finally {
      holder.close()
    }
  }, 30_000)
})
