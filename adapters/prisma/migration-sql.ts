import type { Column, ColumnType, Index, Table } from './schema-model'

/**
 * The SQL that takes a database from one set of tables to another, for PostgreSQL and for
 * SQLite (and D1), in the shape Prisma's own migrations have (quoted names, `<Model>_pkey`,
 * `<Model>_<fields>_key` and `_idx` indexes). Changes it can't make without choosing what happens
 * to existing rows (a column's type, a new required column without a default) are refused with
 * the reason, for a migration written by hand.
 */

export type Dialect = 'postgresql' | 'sqlite'
export const DIALECTS: readonly Dialect[] = ['postgresql', 'sqlite']

const TYPES: Record<Dialect, Record<ColumnType, string>> = {
  postgresql: {
    String: 'TEXT',
    Int: 'INTEGER',
    Float: 'DOUBLE PRECISION',
    Boolean: 'BOOLEAN',
    DateTime: 'TIMESTAMP(3)',
  },
  sqlite: {
    String: 'TEXT',
    Int: 'INTEGER',
    Float: 'REAL',
    Boolean: 'BOOLEAN',
    DateTime: 'DATETIME',
  },
}

/** SQLite's declared type back to the schema's (what `PRAGMA table_info` reports). */
export const SQLITE_TYPES = Object.fromEntries(
  Object.entries(TYPES.sqlite).map(([type, sql]) => [sql, type as ColumnType]),
) as Record<string, ColumnType>

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** The default as SQL: the same text in both dialects. */
function defaultSql(column: Column): string | undefined {
  const value = column.default
  if (!value) return undefined
  if (value.kind === 'now') return 'CURRENT_TIMESTAMP'
  if (typeof value.value === 'string') return `'${value.value.replaceAll("'", "''")}'`
  return String(value.value)
}

function columnSql(column: Column, dialect: Dialect): string {
  const parts = [quote(column.name), TYPES[dialect][column.type]]
  if (!column.optional) parts.push('NOT NULL')
  if (column.id && dialect === 'sqlite') parts.push('PRIMARY KEY')
  const value = defaultSql(column)
  if (value !== undefined) parts.push(`DEFAULT ${value}`)
  return parts.join(' ')
}

const createIndex = (index: Index) =>
  `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quote(index.name)} ON ${quote(index.table)}(${index.columns.map(quote).join(', ')});`

function createTable(table: Table, dialect: Dialect): string[] {
  const lines = table.columns.map((c) => `  ${columnSql(c, dialect)}`)
  const id = table.columns.find((c) => c.id)
  if (dialect === 'postgresql' && id)
    lines.push(`  CONSTRAINT ${quote(`${table.name}_pkey`)} PRIMARY KEY (${quote(id.name)})`)
  return [
    `CREATE TABLE ${quote(table.name)} (\n${lines.join(',\n')}\n);`,
    ...table.indexes.map(createIndex),
  ]
}

const sameColumn = (a: Column, b: Column) =>
  a.type === b.type && a.optional === b.optional && a.id === b.id && defaultSql(a) === defaultSql(b)

const sameIndex = (a: Index, b: Index) =>
  a.unique === b.unique && a.columns.join('\0') === b.columns.join('\0')

export type Migration = { statements: Record<Dialect, string[]>; refused: string[] }

/** The statements, per dialect, from `before` to `after`; `refused` says what needs a hand. */
export function migrationBetween(before: Table[], after: Table[]): Migration {
  const statements: Record<Dialect, string[]> = { postgresql: [], sqlite: [] }
  const refused: string[] = []
  const add = (dialect: Dialect | 'both', ...sql: string[]) => {
    for (const d of dialect === 'both' ? DIALECTS : [dialect]) statements[d].push(...sql)
  }
  const old = new Map(before.map((t) => [t.name, t]))
  for (const table of after) {
    const previous = old.get(table.name)
    if (!previous) {
      for (const dialect of DIALECTS) add(dialect, ...createTable(table, dialect))
      continue
    }
    const oldIndexes = new Map(previous.indexes.map((i) => [i.name, i]))
    const newIndexes = new Map(table.indexes.map((i) => [i.name, i]))
    for (const index of previous.indexes) {
      const next = newIndexes.get(index.name)
      if (!next || !sameIndex(index, next)) add('both', `DROP INDEX ${quote(index.name)};`)
    }
    const oldColumns = new Map(previous.columns.map((c) => [c.name, c]))
    const newColumns = new Set(table.columns.map((c) => c.name))
    for (const column of previous.columns)
      if (!newColumns.has(column.name))
        add('both', `ALTER TABLE ${quote(table.name)} DROP COLUMN ${quote(column.name)};`)
    for (const column of table.columns) {
      const was = oldColumns.get(column.name)
      const at = `${table.name}.${column.name}`
      if (!was) {
        if (column.id) refused.push(`${at}: a new id column needs a table of its own`)
        else if (!column.optional && defaultSql(column) === undefined)
          refused.push(
            `${at}: a new required column needs a @default (or \`?\`) for the rows already there`,
          )
        else
          for (const dialect of DIALECTS)
            add(
              dialect,
              `ALTER TABLE ${quote(table.name)} ADD COLUMN ${columnSql(column, dialect)};`,
            )
      } else if (!sameColumn(was, column)) {
        refused.push(
          `${at}: changing a column's type, nullability or default is not generated; write this step by hand`,
        )
      }
    }
    for (const index of table.indexes) {
      const was = oldIndexes.get(index.name)
      if (!was || !sameIndex(was, index)) add('both', createIndex(index))
    }
  }
  const kept = new Set(after.map((t) => t.name))
  for (const table of before)
    if (!kept.has(table.name)) add('both', `DROP TABLE ${quote(table.name)};`)
  return { statements, refused }
}
