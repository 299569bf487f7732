/**
 * `npm run prisma:generate` (also run by `prepare`, so `npm ci` does it): from the deployment's
 * one schema, `adapters/app/schema.prisma`, writes the PostgreSQL, SQLite and D1 schemas (its
 * models under each database's generator and datasource blocks) and generates their clients
 * offline; and writes the SQLite sections of the migrations as the folder `wrangler d1
 * migrations apply` reads. Prisma's CLI insists on a schema-engine binary it can't download here
 * and doesn't need for `generate`; any existing file satisfies the check.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { appFolder, readMigrations } from './migration-files'
import { readSchema } from './schema-model'

const here = dirname(fileURLToPath(import.meta.url))
const generated = join(here, 'generated')
const cli = join(here, '../../node_modules/prisma/build/index.js')

/**
 * The PostgreSQL client's query compiler: `fast` by default; `PRISMA_COMPILER=small npm run
 * prisma:generate` trades data-request throughput for memory (measured in docs/performance.md:
 * the production bridge held about 70 MB less after the bench, its data requests were about a
 * third slower).
 */
const postgresCompiler = process.env.PRISMA_COMPILER ?? 'fast'
if (postgresCompiler !== 'fast' && postgresCompiler !== 'small') {
  process.stderr.write(`PRISMA_COMPILER must be "fast" or "small", not "${postgresCompiler}"\n`)
  process.exit(1)
}

/** Each client: its database, its runtime, and the query compiler it carries. */
const CLIENTS = {
  postgres: { provider: 'postgresql', runtime: 'nodejs', compiler: postgresCompiler },
  // The embedded default database: the small query compiler holds half the memory of the fast
  // one (about 16 MB instead of 40 MB once the first query has run).
  sqlite: { provider: 'sqlite', runtime: 'nodejs', compiler: 'small' },
  // A Worker pays for every megabyte it carries.
  d1: { provider: 'sqlite', runtime: 'workerd', compiler: 'small' },
} as const

const schemaFile = join(appFolder(), 'schema.prisma')
const models = await readFile(schemaFile, 'utf8')
readSchema(models, schemaFile) // refuses what the migrations couldn't follow, before Prisma sees it
await mkdir(join(generated, 'schema'), { recursive: true })
for (const [name, client] of Object.entries(CLIENTS)) {
  const schema = join(generated, 'schema', `${name}.prisma`)
  await writeFile(
    schema,
    [
      `// Written by \`npm run prisma:generate\` from adapters/app/schema.prisma: edit that file.`,
      `generator client {`,
      `  provider      = "prisma-client"`,
      `  output        = "../${name}"`,
      `  moduleFormat  = "esm"`,
      `  runtime       = "${client.runtime}"`,
      `  compilerBuild = "${client.compiler}"`,
      `}`,
      ``,
      `datasource db {`,
      `  provider = "${client.provider}"`,
      `}`,
      ``,
      models,
    ].join('\n'),
  )
  execFileSync(process.execPath, [cli, 'generate', '--schema', schema], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  })
}

const d1 = join(generated, 'd1-migrations')
await rm(d1, { recursive: true, force: true })
await mkdir(d1, { recursive: true })
for (const migration of await readMigrations())
  await writeFile(join(d1, migration.name), `${migration.sql.sqlite}\n`)
