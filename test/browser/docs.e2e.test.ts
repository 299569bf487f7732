import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prismaAdapter } from '../../adapters/prisma'
import { launchChromium } from '../helpers/chromium'
import { serveApp } from '../helpers/serve'
import { deploymentResources, makeTestApp, type TestApp } from '../helpers/test-app'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let t: TestApp
let url: string
let browser: Browser
let close: () => Promise<void>

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bk-docs-'))
  t = await makeTestApp(
    { DATABASE_URL: `file:${join(dir, 'bridgekeeper.db')}` },
    { adapters: [prismaAdapter, deploymentResources] },
  )
  const served = await serveApp(t.app)
  url = served.url
  close = served.close
  // Every host but the loopback unresolvable: the network, as far as the page can tell, is cut.
  browser = await launchChromium(['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'])
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await close?.()
  await t?.close()
})

describe('/docs in Chromium with the network cut', () => {
  it("renders the reference of every route and of the deployment's resources from the bridge alone", async () => {
    const page = await browser.newPage()
    const elsewhere: string[] = []
    const refused: string[] = []
    // Anything not addressed to the bridge is recorded and cut.
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(url)) return route.continue()
      elsewhere.push(route.request().url())
      return route.abort('internetdisconnected')
    })
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text())
    })
    await page.goto(`${url}/docs`)
    await page.waitForSelector('.information-container .title', { timeout: 20_000 })
    expect(await page.textContent('.information-container .title')).toContain('Bridgekeeper')
    // The deployment's own resource, on its own paths, with its parameters.
    await page.waitForSelector('[data-path="/v1/data/posts"]', { timeout: 10_000 })
    const text = (await page.textContent('#reference')) ?? ''
    expect(text).toContain('/v1/tokens/{template}')
    expect(text).toContain('/v1/data/posts/{id}')
    expect(elsewhere).toEqual([])
    expect(refused).toEqual([])
    await page.close()
  }, 60_000)
})
