import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DIALECTS, type Dialect } from './migration-sql'

/**
 * The deployment's folder (`adapters/app/`: its schema, migrations and seed), found from this
 * module whether it runs from source or from the build in dist/server/.
 */
export function appFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'adapters/app')
    if (existsSync(join(candidate, 'schema.prisma'))) return candidate
    const parent = dirname(dir)
    if (parent === dir) throw new Error('adapters/app/schema.prisma not found')
    dir = parent
  }
}

/**
 * One migration: a file `NNNN_name.sql` in `adapters/app/migrations/` holding a section per
 * database, each opened by a line `-- dialect: postgresql` or `-- dialect: sqlite` (D1 runs the
 * SQLite one). What comes before the first section is a comment for people.
 */
export type MigrationFile = { name: string; sql: Record<Dialect, string> }

const SECTION = /^-- dialect: (\S+)\s*$/

function splitSections(name: string, text: string): MigrationFile {
  const sql: Partial<Record<Dialect, string[]>> = {}
  let current: string[] | undefined
  for (const line of text.split('\n')) {
    const section = SECTION.exec(line)
    if (section?.[1]) {
      const dialect = section[1] as Dialect
      if (!DIALECTS.includes(dialect) || sql[dialect])
        throw new Error(`${name}: unknown or repeated section "${section[1]}"`)
      current = sql[dialect] = []
    } else current?.push(line)
  }
  const missing = DIALECTS.filter((d) => !sql[d])
  if (missing.length > 0)
    throw new Error(`${name}: no "-- dialect: ${missing.join('" or "')}" section`)
  return {
    name,
    sql: Object.fromEntries(DIALECTS.map((d) => [d, (sql[d] ?? []).join('\n').trim()])) as Record<
      Dialect,
      string
    >,
  }
}

export function formatMigration(comment: string[], statements: Record<Dialect, string[]>): string {
  return [
    ...comment.map((line) => `-- ${line}`),
    ...DIALECTS.flatMap((d) => ['', `-- dialect: ${d}`, ...statements[d]]),
    '',
  ].join('\n')
}

/** The migrations in order of their names. */
export async function readMigrations(
  dir = join(appFolder(), 'migrations'),
): Promise<MigrationFile[]> {
  if (!existsSync(dir)) return []
  const names = (await readdir(dir)).filter((n) => /^\d{4}_[a-z0-9_]+\.sql$/.test(n)).sort()
  return Promise.all(
    names.map(async (name) => splitSections(name, await readFile(join(dir, name), 'utf8'))),
  )
}
