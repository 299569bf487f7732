/**
 * The tables a Prisma schema describes, read from the deployment's one schema
 * (`adapters/app/schema.prisma`, models only). It is the source of the dialect schemas that
 * `prisma generate` reads (generate.ts) and of the SQL migrations (migration-sql.ts), so the
 * three databases can't drift apart. Prisma validates the whole schema when it generates; this
 * reader accepts the subset the migration generator can translate (scalar fields, `@id`,
 * `@default`, `@unique`, `@@unique`, `@@index`) and names anything else it meets.
 */

export type ColumnType = 'String' | 'Int' | 'Float' | 'Boolean' | 'DateTime'
const COLUMN_TYPES: readonly ColumnType[] = ['String', 'Int', 'Float', 'Boolean', 'DateTime']

export type Column = {
  name: string
  type: ColumnType
  optional: boolean
  /** A default the database applies (`now()`, a literal); Prisma's own `cuid()`/`uuid()` are not. */
  default?: { kind: 'now' } | { kind: 'literal'; value: string | number | boolean }
  id: boolean
}
export type Index = { name: string; table: string; columns: string[]; unique: boolean }
export type Table = { name: string; columns: Column[]; indexes: Index[] }

/** Defaults Prisma's client fills in itself: nothing for the database to do. */
const CLIENT_DEFAULTS = new Set(['cuid()', 'cuid(2)', 'uuid()', 'uuid(4)', 'uuid(7)', 'nanoid()'])

class SchemaError extends Error {
  constructor(problems: string[]) {
    super(problems.join('\n'))
    this.name = 'SchemaError'
  }
}

const indexName = (table: string, columns: string[], unique: boolean) =>
  `${table}_${columns.join('_')}_${unique ? 'key' : 'idx'}`

function parseDefault(
  argument: string,
  type: ColumnType,
  at: string,
  problems: string[],
): Column['default'] {
  const value = argument.trim()
  if (CLIENT_DEFAULTS.has(value)) return undefined
  if (value === 'now()') return { kind: 'now' }
  if (/^"(?:[^"\\]|\\.)*"$/.test(value) && type === 'String')
    return { kind: 'literal', value: JSON.parse(value) as string }
  if ((value === 'true' || value === 'false') && type === 'Boolean')
    return { kind: 'literal', value: value === 'true' }
  if (/^-?\d+(\.\d+)?$/.test(value) && (type === 'Int' || type === 'Float'))
    return { kind: 'literal', value: Number(value) }
  problems.push(`${at}: @default(${value}) isn't one the migration generator translates`)
  return undefined
}

function listArgument(text: string): string[] | undefined {
  const match = /^\(\s*\[([^\]]*)\]\s*\)$/.exec(text.trim())
  return match?.[1]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** The models of a schema, as tables; throws a SchemaError naming every line it can't read. */
export function readSchema(source: string, file = 'schema.prisma'): Table[] {
  const problems: string[] = []
  const tables: Table[] = []
  const lines = source.split('\n')
  let current: Table | undefined
  lines.forEach((raw, index) => {
    const line = raw.replace(/\/\/.*$/, '').trim()
    const at = `${file}:${index + 1}`
    if (line === '') return
    if (!current) {
      const model = /^model\s+([A-Za-z][A-Za-z0-9_]*)\s*\{$/.exec(line)
      if (model?.[1]) current = { name: model[1], columns: [], indexes: [] }
      else
        problems.push(
          `${at}: only models belong in this schema (the generator and datasource blocks are written by \`npm run prisma:generate\`)`,
        )
      return
    }
    const table = current
    if (line === '}') {
      tables.push(table)
      current = undefined
      return
    }
    const block = /^@@(unique|index)(\(.*\))$/.exec(line)
    if (block?.[1] && block[2]) {
      const columns = listArgument(block[2])
      if (!columns) {
        problems.push(`${at}: write @@${block[1]}([a, b]) without a name or map argument`)
        return
      }
      const unique = block[1] === 'unique'
      table.indexes.push({
        name: indexName(table.name, columns, unique),
        table: table.name,
        columns,
        unique,
      })
      return
    }
    if (line.startsWith('@@')) {
      problems.push(`${at}: ${line.split('(')[0]} isn't supported by the migration generator`)
      return
    }
    const field = /^([A-Za-z][A-Za-z0-9_]*)\s+([A-Za-z]+)(\?|\[\])?\s*(.*)$/.exec(line)
    if (!field?.[1] || !field[2]) {
      problems.push(`${at}: can't read this field`)
      return
    }
    const [, name, typeName, modifier, attributes = ''] = field
    if (!(COLUMN_TYPES as readonly string[]).includes(typeName)) {
      problems.push(
        `${at}: ${name} is a ${typeName}; a resource's columns are ${COLUMN_TYPES.join(', ')} (relations and lists aren't rows of one table)`,
      )
      return
    }
    if (modifier === '[]') {
      problems.push(`${at}: ${name} is a list; use one column per value`)
      return
    }
    const type = typeName as ColumnType
    const column: Column = { name, type, optional: modifier === '?', id: false }
    for (const attribute of attributes.matchAll(/@([A-Za-z]+)(\((?:[^()]|\([^()]*\))*\))?/g)) {
      const [, attributeName, argument] = attribute
      if (attributeName === 'id') column.id = true
      else if (attributeName === 'unique')
        table.indexes.push({
          name: indexName(table.name, [name], true),
          table: table.name,
          columns: [name],
          unique: true,
        })
      else if (attributeName === 'default' && argument)
        column.default = parseDefault(argument.slice(1, -1), type, at, problems)
      else if (attributeName !== 'updatedAt')
        problems.push(`${at}: @${attributeName} isn't supported by the migration generator`)
    }
    table.columns.push(column)
  })
  if (current) problems.push(`${file}: model ${current.name} is not closed`)
  for (const table of tables) {
    const ids = table.columns.filter((c) => c.id)
    if (ids.length !== 1 || ids[0]?.name !== 'id' || ids[0].type !== 'String')
      problems.push(
        `${file}: model ${table.name} needs \`id String @id @default(cuid())\`: the bridge addresses rows by a string id`,
      )
    const names = new Set(table.columns.map((c) => c.name))
    for (const index of table.indexes)
      for (const column of index.columns)
        if (!names.has(column))
          problems.push(`${file}: model ${table.name}: index on unknown field "${column}"`)
  }
  if (problems.length > 0) throw new SchemaError(problems)
  return tables
}
