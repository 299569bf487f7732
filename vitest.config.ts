import { defineConfig } from 'vitest/config'

/** Node tests: everything under test/ except the workerd suite. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/workers/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Suites share the one local Redis and PostgreSQL; each uses its own key prefix or schema.
    fileParallelism: true,
  },
})
