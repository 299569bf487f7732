import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { freePort, stopChild } from './child-process'
import { join } from 'node:path'

/** The Worker under `wrangler dev` (local workerd) on 127.0.0.1, in development mode. */
export async function startWranglerDev(vars: Record<string, string> = {}) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const persist = await mkdtemp(join(tmpdir(), 'bk-wrangler-'))
  const args = [
    'node_modules/wrangler/bin/wrangler.js',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist-to',
    persist,
    '--log-level',
    'warn',
    '--show-interactive-dev-session=false',
  ]
  for (const [name, value] of Object.entries({
    BRIDGE_MODE: 'development',
    PUBLIC_URL: url,
    TRUST_PROXY: 'none',
    ...vars,
  }))
    args.push('--var', `${name}:${value}`)
  const child = spawn(process.execPath, args, {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (c) => (output += String(c)))
  child.stderr.on('data', (c) => (output += String(c)))
  const deadline = Date.now() + 90_000
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`wrangler dev did not start:\n${output.slice(-3000)}`)
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  return {
    url,
    stop: () => stopChild(child),
  }
}
