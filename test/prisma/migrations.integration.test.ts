import { execFile } from 'node:child_process'
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { migratePostgres, migrateSqlite } from '../../adapters/prisma/migrate'
import { appFolder, formatMigration } from '../../adapters/prisma/migration-files'
import { pendingMigration } from '../../adapters/prisma/new-migration'
import { readSchema, type ColumnType, type Table } from '../../adapters/prisma/schema-model'

// The deployment's one schema against what its migrations build, on real databases: a model
// added without a migration, or a migration that builds something else, fails here.

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const PG_TYPES: Record<string, ColumnType> = {
  text: 'String',
  integer: 'Int',
  'double precision': 'Float',
  boolean: 'Boolean',
  'timestamp without time zone': 'DateTime',
}
const SQLITE_TYPES: Record<string, ColumnType> = {
  TEXT: 'String',
  INTEGER: 'Int',
  REAL: 'Float',
  BOOLEAN: 'Boolean',
  DATETIME: 'DateTime',
}

type Shape = Record<string, { columns: string[]; indexes: string[] }>

/** What the schema says each table holds: "name type null|required", and index names. */
function schemaShape(tables: Table[]): Shape {
  return Object.fromEntries(
    tables.map((t) => [
      t.name,
      {
        columns: t.columns
          .map((c) => `${c.name} ${c.type} ${c.optional ? 'null' : 'required'}`)
          .sort(),
        indexes: t.indexes.map((i) => `${i.name}${i.unique ? ' unique' : ''}`).sort(),
      },
    ]),
  )
}

function sqliteShape(file: string): Shape {
  const db = new Database(file, { readonly: true })
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_bridgekeeper_migrations'",
      )
      .all() as { name: string }[]
    return Object.fromEntries(
      tables.map(({ name }) => {
        const info = db.pragma(`table_info("${name}")`) as {
          name: string
          type: string
          notnull: number
        }[]
        const indexes = db.pragma(`index_list("${name}")`) as {
          name: string
          unique: number
          origin: string
        }[]
        return [
          name,
          {
            columns: info
              .map(
                (c) =>
                  `${c.name} ${SQLITE_TYPES[c.type] ?? c.type} ${c.notnull ? 'required' : 'null'}`,
              )
              .sort(),
            indexes: indexes
              .filter((i) => i.origin === 'c')
              .map((i) => `${i.name}${i.unique ? ' unique' : ''}`)
              .sort(),
          },
        ]
      }),
    )
  } finally {
    db.close()
  }
}

async function postgresShape(schema: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    const columns = await client.query<{
      table_name: string
      column_name: string
      data_type: string
      is_nullable: string
    }>(
      'SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1',
      [schema],
    )
    const indexes = await client.query<{ tablename: string; indexname: string; indexdef: string }>(
      "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname NOT LIKE '%_pkey'",
      [schema],
    )
    const shape: Shape = {}
    for (const c of columns.rows) {
      if (c.table_name === '_bridgekeeper_migrations') continue
      const table = (shape[c.table_name] ??= { columns: [], indexes: [] })
      table.columns.push(
        `${c.column_name} ${PG_TYPES[c.data_type] ?? c.data_type} ${c.is_nullable === 'YES' ? 'null' : 'required'}`,
      )
    }
    for (const i of indexes.rows) {
      if (i.tablename === '_bridgekeeper_migrations') continue
      shape[i.tablename]?.indexes.push(
        `${i.indexname}${i.indexdef.startsWith('CREATE UNIQUE') ? ' unique' : ''}`,
      )
    }
    for (const table of Object.values(shape)) {
      table.columns.sort()
      table.indexes.sort()
    }
    return shape
  } finally {
    await client.end()
  }
}

const schemas: string[] = []
const folders: string[] = []
afterAll(async () => {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
  for (const folder of folders) await rm(folder, { recursive: true, force: true })
})

async function freshDatabases(migrationsDir?: string) {
  const folder = await mkdtemp(join(tmpdir(), 'bk-migrations-'))
  folders.push(folder)
  const file = join(folder, 'fresh.db')
  const schema = `migrations_${Math.random().toString(36).slice(2, 10)}`
  schemas.push(schema)
  const sqlite = await migrateSqlite(file, migrationsDir)
  const postgres = await migratePostgres(PG_URL, schema, migrationsDir)
  return {
    sqlite,
    postgres,
    sqliteShape: sqliteShape(file),
    postgresShape: await postgresShape(schema),
  }
}

/** A copy of the deployment's folder (schema and migrations), its schema changed by `edit`. */
async function copyOfApp(edit: (schema: string) => string) {
  const folder = await mkdtemp(join(tmpdir(), 'bk-app-'))
  folders.push(folder)
  const schema = await readFile(join(appFolder(), 'schema.prisma'), 'utf8')
  await writeFile(join(folder, 'schema.prisma'), edit(schema))
  await cp(join(appFolder(), 'migrations'), join(folder, 'migrations'), { recursive: true })
  return { folder, schemaFile: join(folder, 'schema.prisma') }
}

describe("the deployment's schema and its migrations", () => {
  it('agree: the migrations already build everything adapters/app/schema.prisma declares', async () => {
    const pending = await pendingMigration()
    expect(pending.refused).toEqual([])
    expect(pending.statements).toEqual({ postgresql: [], sqlite: [] })
  })

  it('build, on fresh SQLite and PostgreSQL databases, exactly the columns and indexes of the schema', async () => {
    const tables = readSchema(await readFile(join(appFolder(), 'schema.prisma'), 'utf8'))
    const fresh = await freshDatabases()
    const names = (await readdir(join(appFolder(), 'migrations'))).sort()
    expect(fresh.sqlite).toEqual(names)
    expect(fresh.postgres).toEqual(names)
    expect(fresh.sqliteShape).toEqual(schemaShape(tables))
    expect(fresh.postgresShape).toEqual(schemaShape(tables))
  })
})

describe('npm run db:migration', () => {
  const run = promisify(execFile)
  const tsx = join(process.cwd(), 'node_modules/.bin/tsx')

  it('writes the next migration for a new model and column, and both databases then match the schema', async () => {
    const { folder, schemaFile } = await copyOfApp(
      (
        schema,
      ) => `${schema.replace('  secret   String?', '  secret   String?\n  color    String  @default("blue")')}
model Task {
  id        String    @id @default(cuid())
  title     String
  done      Boolean   @default(false)
  due       DateTime?
  estimate  Float?
  ownerId   String
  createdAt DateTime  @default(now())

  @@unique([ownerId, title])
  @@index([ownerId])
}
`,
    )
    const pending = await pendingMigration(folder)
    expect(pending.refused).toEqual([])
    expect(pending.statements.postgresql).toContain(
      `ALTER TABLE "Note" ADD COLUMN "color" TEXT NOT NULL DEFAULT 'blue';`,
    )
    await writeFile(
      join(folder, 'migrations', `000${pending.count + 1}_tasks.sql`),
      formatMigration(['tasks'], pending.statements),
    )
    expect((await pendingMigration(folder)).statements).toEqual({ postgresql: [], sqlite: [] })

    const fresh = await freshDatabases(join(folder, 'migrations'))
    const tables = readSchema(await readFile(schemaFile, 'utf8'))
    expect(fresh.sqliteShape).toEqual(schemaShape(tables))
    expect(fresh.postgresShape).toEqual(schemaShape(tables))
    expect(fresh.postgresShape.Task?.indexes).toEqual([
      'Task_ownerId_idx',
      'Task_ownerId_title_key unique',
    ])
  })

  it('refuses a new required column without a default, and a changed type, naming each', async () => {
    const { folder } = await copyOfApp((schema) =>
      schema
        .replace('  secret   String?', '  secret   String?\n  color    String')
        .replace('  views       Int      @default(0)', '  views       Float    @default(0)'),
    )
    const pending = await pendingMigration(folder)
    expect(pending.refused).toEqual([
      "Post.views: changing a column's type, nullability or default is not generated; write this step by hand",
      'Note.color: a new required column needs a @default (or `?`) for the rows already there',
    ])
  })

  it('as a command: writes the file, then says there is nothing to write; a relation is named as unsupported', async () => {
    // The command works on adapters/app of the tree it runs from: run it from a copy of the tree.
    const root = await mkdtemp(join(tmpdir(), 'bk-tree-'))
    folders.push(root)
    await cp(join(process.cwd(), 'adapters/prisma'), join(root, 'adapters/prisma'), {
      recursive: true,
      filter: (source) => !source.includes('/generated'),
    })
    await cp(join(process.cwd(), 'src'), join(root, 'src'), { recursive: true })
    await cp(appFolder(), join(root, 'adapters/app'), { recursive: true })
    const schemaFile = join(root, 'adapters/app/schema.prisma')
    await writeFile(
      schemaFile,
      `${await readFile(schemaFile, 'utf8')}\nmodel Task {\n  id    String @id @default(cuid())\n  title String\n}\n`,
    )
    await cp(join(process.cwd(), 'package.json'), join(root, 'package.json'))
    await symlink(join(process.cwd(), 'node_modules'), join(root, 'node_modules'))
    const env = process.env
    const script = join(root, 'adapters/prisma/new-migration.ts')
    const first = await run(tsx, [script, 'tasks'], { cwd: process.cwd(), env })
    expect(first.stdout).toContain('wrote adapters/app/migrations/0003_tasks.sql')
    const written = await readFile(join(root, 'adapters/app/migrations/0003_tasks.sql'), 'utf8')
    expect(written).toContain('-- dialect: postgresql\nCREATE TABLE "Task" (')
    expect(written).toContain('-- dialect: sqlite\nCREATE TABLE "Task" (')
    const second = await run(tsx, [script, 'again'], { cwd: process.cwd(), env })
    expect(second.stdout).toContain('nothing to write')

    await writeFile(
      schemaFile,
      `${await readFile(schemaFile, 'utf8')}\nmodel Tag {\n  id   String @id @default(cuid())\n  task Task\n}\n`,
    )
    const refused = await run(tsx, [script, 'tags'], { cwd: process.cwd(), env }).catch(
      (error: { code: number; stderr: string }) => error,
    )
    expect(refused).toMatchObject({ code: 1 })
    expect((refused as { stderr: string }).stderr).toMatch(
      /schema\.prisma:\d+: task is a Task; a resource's columns are String, Int, Float, Boolean, DateTime/,
    )
  })
})
