import type { MigrationFile } from './migration-files'
import { SQLITE_TYPES } from './migration-sql'
import type { Column, Index, Table } from './schema-model'

type ColumnInfo = {
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
}
type IndexInfo = { name: string; unique: number; origin: string }

function parseDefault(sql: string | null): Column['default'] {
  if (sql === null) return undefined
  if (sql === 'CURRENT_TIMESTAMP') return { kind: 'now' }
  if (sql === 'true' || sql === 'false') return { kind: 'literal', value: sql === 'true' }
  if (/^'.*'$/s.test(sql)) return { kind: 'literal', value: sql.slice(1, -1).replaceAll("''", "'") }
  return { kind: 'literal', value: Number(sql) }
}

/**
 * The tables the migrations produce: their SQLite sections run on an in-memory database, read
 * back with SQLite's own catalogue. This is the "before" the next migration is generated from,
 * like Prisma's shadow database, with nothing to install or connect to.
 */
export async function tablesAfter(migrations: MigrationFile[]): Promise<Table[]> {
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(':memory:')
  try {
    for (const migration of migrations) db.exec(migration.sql.sqlite)
    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
      )
      .all() as { name: string }[]
    return names.map(({ name }) => {
      const columns = (db.pragma(`table_info("${name}")`) as ColumnInfo[]).map((c) => {
        const type = SQLITE_TYPES[c.type.toUpperCase()]
        if (!type) throw new Error(`${name}.${c.name}: SQLite type ${c.type} has no schema type`)
        const column: Column = {
          name: c.name,
          type,
          optional: c.notnull === 0 && c.pk === 0,
          id: c.pk > 0,
        }
        const value = parseDefault(c.dflt_value)
        if (value) column.default = value
        return column
      })
      const indexes: Index[] = (db.pragma(`index_list("${name}")`) as IndexInfo[])
        .filter((i) => i.origin === 'c')
        .map((i) => ({
          name: i.name,
          table: name,
          unique: i.unique === 1,
          columns: (db.pragma(`index_info("${i.name}")`) as { name: string }[]).map((c) => c.name),
        }))
      return { name, columns, indexes }
    })
  } finally {
    db.close()
  }
}
