/**
 * `npm run prisma:generate` (also run by `prepare`, so `npm ci` does it): generates the Prisma
 * clients for PostgreSQL and SQLite offline. Prisma's CLI insists on a schema-engine binary it
 * can't download here and doesn't need for `generate`; any existing file satisfies the check.
 */
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '../../node_modules/prisma/build/index.js')
for (const schema of ['postgres', 'sqlite', 'd1']) {
  execFileSync(
    process.execPath,
    [cli, 'generate', '--schema', join(here, 'schema', `${schema}.prisma`)],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
    },
  )
}
