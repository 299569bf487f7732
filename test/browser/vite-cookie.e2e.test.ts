import type { ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnBuiltBridge } from '../helpers/built-bridge'
import { freePort, stopChild } from '../helpers/child-process'
import { launchChromium } from '../helpers/chromium'

const ROOT = join(import.meta.dirname, '..', '..')

let bridge: ChildProcess
let bridgePort: number
let page: Server
let pagePort: number
let browser: Browser

/** A page as `npm run dev` (Vite) serves it on localhost: it signs in with a cookie, then asks /v1/me. */
const app = (bridgeUrl: string) => `<!doctype html>
<html><body><p id="result">pending</p><script type="module">
const bridge = ${JSON.stringify(bridgeUrl)}
const { token } = await (await fetch(bridge + '/dev/token', {
  method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ sub: 'vite-user' }),
})).json()
const signIn = await fetch(bridge + '/v1/sessions', {
  method: 'POST', credentials: 'include',
  headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
  body: JSON.stringify({ transport: 'cookie' }),
})
const me = await fetch(bridge + '/v1/me', { credentials: 'include' })
document.querySelector('#result').textContent = signIn.status + ' ' + me.status
</script></body></html>`

beforeAll(async () => {
  bridgePort = await freePort()
  // The default development bridge: no configuration but the port.
  const started = await spawnBuiltBridge({ port: bridgePort, cwd: ROOT })
  bridge = started.child
  await started.listening()
  const output = started.output()
  // The address the banner tells the developer to use, as they would paste it into the app.
  const base = /health\s+(\S+)\/healthz/.exec(output)?.[1] ?? ''
  expect(base).toBe(`http://localhost:${bridgePort}`)
  pagePort = await freePort()
  page = createServer((_, res) => {
    res.setHeader('content-type', 'text/html')
    res.end(app(base))
  })
  await new Promise<void>((resolve) => page.listen(pagePort, '127.0.0.1', resolve))
  browser = await launchChromium()
}, 90_000)
afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => page?.close(resolve))
  if (bridge) await stopChild(bridge)
})

describe('a Vite app on localhost signing in with a cookie', () => {
  it('works against the default development bridge in Chromium: 201, then 200', async () => {
    const context = await browser.newContext()
    try {
      const tab = await context.newPage()
      await tab.goto(`http://localhost:${pagePort}/`)
      await tab.waitForFunction(() => document.querySelector('#result')?.textContent !== 'pending')
      expect(await tab.textContent('#result')).toBe('201 200')
    } finally {
      await context.close()
    }
  })
})
