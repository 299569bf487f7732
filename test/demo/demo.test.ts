import { describe, expect, it } from 'vitest'
import { generateSigningJwk } from '../../src/keys/signing-key'
import { createMemoryStore } from '../../src/store/memory-store'
import { makeTestApp } from '../helpers/test-app'

describe('the demo page', () => {
  it('is served in development mode, with a policy that allows its own scripts only', async () => {
    const { app } = await makeTestApp()
    const page = await app.request('/demo')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
    expect(await page.text()).toContain('<script type="module" src="/demo/app.js"></script>')
    expect((await app.request('/demo/client.js')).status).toBe(200)
  })

  it('answers 404 in production mode', async () => {
    const { app } = await makeTestApp(
      {
        BRIDGE_MODE: 'production',
        PUBLIC_URL: 'https://bridge.example',
        SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningJwk('ES256')] }),
      },
      { store: createMemoryStore() },
    )
    for (const path of ['/demo', '/demo/client.js', '/demo/app.js'])
      expect((await app.request(path)).status).toBe(404)
  })
})
