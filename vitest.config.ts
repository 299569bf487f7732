import { defineConfig } from 'vitest/config'

const INTEGRATION = 'test/**/*.integration.test.ts'
const E2E = 'test/**/*.e2e.test.ts'
const WORKERS = 'test/workers/**'

/**
 * The Node test tiers (the workerd suite has its own config, vitest.workers.config.ts):
 * - unit: no services; the memory store and in-process fakes (OIDC issuer, Airtable, MongoDB).
 * - integration: the real Redis and PostgreSQL on this machine.
 * - e2e: whole processes: `npm start`, `wrangler dev`, the Firebase Auth emulator.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Suites share the one local Redis and PostgreSQL; each uses its own key prefix or schema.
    fileParallelism: true,
    projects: [
      {
        extends: true,
        // Unit files share module instances (no per-file isolation): they hold no global state.
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [INTEGRATION, E2E, WORKERS, 'node_modules/**'],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'integration', include: [INTEGRATION] } },
      {
        extends: true,
        // One build of dist/ for every e2e file (they start `node dist/server/main.js`, pack it…).
        test: { name: 'e2e', include: [E2E], globalSetup: ['test/helpers/e2e-build.ts'] },
      },
    ],
  },
})
