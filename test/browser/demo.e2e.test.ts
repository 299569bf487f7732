import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prismaAdapter } from '../../adapters/prisma'
import { launchChromium } from '../helpers/chromium'
import { serveApp } from '../helpers/serve'
import { makeTestApp, type TestApp, deploymentResources } from '../helpers/test-app'

let t: TestApp
let url: string
let browser: Browser
let close: () => Promise<void>

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bk-demo-'))
  t = await makeTestApp(
    { DATABASE_URL: `file:${join(dir, 'bridgekeeper.db')}`, MINT_PER_USER: '1000' },
    { adapters: [prismaAdapter, deploymentResources] },
  )
  const served = await serveApp(t.app)
  url = served.url
  close = served.close
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await close?.()
  await t?.close()
})

const mints = () => t.logs.filter((l) => l.includes('"token.minted"')).length

async function signedIn(page: Page, user: string) {
  await page.goto(`${url}/demo`)
  await page.fill('#sub', user)
  await page.click('#sign-in')
  await page.waitForFunction(
    (u) => document.querySelector('#status')?.textContent === `Signed in as ${u}`,
    user,
  )
}

describe('the demo page in Chromium', () => {
  it('runs the flow of two users, tabs that hear sign-outs, and one mint for 20 parallel requests', async () => {
    const alice = await browser.newContext()
    const bob = await browser.newContext()
    try {
      // A signs in and creates a post.
      const a = await alice.newPage()
      await signedIn(a, 'alice')
      await a.fill('#title', 'Hello from Alice')
      await a.click('#create-post')
      await a.waitForSelector('#posts li input[value="Hello from Alice"]')

      // B sees it, but B's edit is refused and the page shows the rule.
      const b = await bob.newPage()
      await signedIn(b, 'bob')
      const item = b.locator('#posts li', { has: b.locator('input[value="Hello from Alice"]') })
      await item.locator('input').fill('Taken by Bob')
      await item.getByRole('button', { name: 'Save' }).click()
      await b.waitForFunction(() => document.querySelector('#error')?.textContent !== '')
      expect(await b.textContent('#error')).toBe(
        'not_found: only the author may edit this post (update: own)',
      )

      // 20 parallel token requests on one page: one mint.
      const before = mints()
      await b.click('#mint-parallel')
      await b.waitForFunction(() =>
        document.querySelector('#token-life')?.textContent?.startsWith('20 requests'),
      )
      expect(await b.textContent('#token-life')).toBe('20 requests, 1 distinct token(s)')
      expect(mints() - before).toBe(1)

      // A signs out everywhere in one tab; A's other tab notices within a second.
      const a2 = await alice.newPage()
      await signedIn(a2, 'alice')
      await a.click('#sign-out-everywhere')
      const started = Date.now()
      await a2.waitForFunction(
        () => document.querySelector('#status')?.textContent === 'Signed out',
        undefined,
        {
          timeout: 1000,
        },
      )
      expect(Date.now() - started).toBeLessThan(1000)

      await b.click('#mint-hasura')
      await b.waitForFunction(() =>
        document.querySelector('#claims')?.textContent?.includes('x-hasura-user-id'),
      )
      await b.screenshot({ path: 'test-results/demo.png', fullPage: true })
    } finally {
      await alice.close()
      await bob.close()
    }
  }, 60_000)
})
