import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { dirname, resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vitest/config'
import { SMOKE_AIRTABLE } from './test/smoke/fixtures'

/**
 * Prisma's workerd client loads its query compiler with `import('./…wasm?module')`. Vite would try
 * to parse the WebAssembly as JavaScript; resolved to the plain `.wasm` file and left external,
 * the pool's module fallback serves it to workerd as a compiled Wasm module, as `wrangler deploy`
 * bundles it.
 */
const wasmModulesExternal: Plugin = {
  name: 'wasm-modules-external',
  enforce: 'pre',
  resolveId(id, importer) {
    if (!id.endsWith('.wasm?module') || !importer) return null
    return { id: resolve(dirname(importer), id.replace(/\?module$/, '')), external: true }
  },
}

/** The same smoke suite (and the store conformance suite) inside real workerd. */
export default defineConfig({
  plugins: [
    wasmModulesExternal,
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          BRIDGE_MODE: 'development',
          PUBLIC_URL: 'http://bridge.test',
          LOG_LEVEL: 'warn',
          AIRTABLE_ENDPOINT_URL: inject('airtableUrl'),
          AIRTABLE_BASE_ID: SMOKE_AIRTABLE.baseId,
          AIRTABLE_TOKEN: SMOKE_AIRTABLE.token,
          FIREBASE_SERVICE_ACCOUNT: inject('firebaseServiceAccount'),
          TEST_MIGRATIONS: await readD1Migrations('./adapters/prisma/generated/d1-migrations'),
        },
      },
    })),
  ],
  test: {
    include: ['test/workers/**/*.test.ts'],
    globalSetup: ['test/workers/global-setup.ts'],
    setupFiles: ['test/workers/apply-migrations.ts'],
    testTimeout: 30_000,
    server: { deps: { external: [/\.wasm(\?module)?$/] } },
  },
})
