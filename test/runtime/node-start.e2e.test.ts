import { spawn } from 'node:child_process'
import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/child-process'

describe('npm start (the Node entry) with no configuration', () => {
  it('serves a development bridge and keeps a private signing key under the data folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bk-data-'))
    const port = await freePort()
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      BRIDGE_DATA_DIR: dataDir,
    }
    // One process (no npx wrapper), so stopping it stops the server.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += String(chunk)))
    child.stderr.on('data', (chunk) => (output += String(chunk)))
    try {
      const deadline = Date.now() + 20_000
      while (!output.includes('listening') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100))
      expect(output).toContain(`http://127.0.0.1:${port}/healthz`)
      expect(output).toContain('development')
      const base = `http://127.0.0.1:${port}`
      expect((await fetch(`${base}/healthz`)).status).toBe(200)
      expect((await fetch(`${base}/readyz`)).status).toBe(200)
      expect((await fetch(`${base}/openapi.json`)).status).toBe(200)
      expect((await fetch(`${base}/docs`)).status).toBe(200)
      const keyFile = join(dataDir, 'signing-keys.json')
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
      const keys = JSON.parse(await readFile(keyFile, 'utf8')) as {
        keys: { kid: string; d?: string }[]
      }
      expect(keys.keys[0]?.kid).toMatch(/^key_/)
      expect(keys.keys[0]?.d).toBeDefined()
      expect(output).not.toContain(keys.keys[0]?.d ?? '\u0000')
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  })
})
