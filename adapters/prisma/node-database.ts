import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { migratePostgres, migrateSqlite } from './migrate'

export type PrismaDatabase = {
  kind: 'postgres' | 'sqlite'
  client: object
  /** SQLite: the database file. */
  file?: string
  /** Where it is, without credentials (for the start-up banner). */
  label: string
  close(): Promise<void>
}

/**
 * Node: a Prisma client on PostgreSQL when `url` is a postgres:// URL, else on a SQLite file
 * (the embedded default under `.data/`), migrated on open. Only the chosen dialect's driver and
 * generated client are loaded.
 */
export async function openPrismaDatabase(options: {
  url?: string
  dataDir: string
  schema?: string
}): Promise<PrismaDatabase> {
  const url = options.url
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const schema = options.schema ?? new URL(url).searchParams.get('schema') ?? 'public'
    await migratePostgres(url, schema)
    const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([
      import('@prisma/adapter-pg'),
      import('./generated/postgres/client'),
    ])
    const client = new PostgresClient({
      adapter: new PrismaPg({ connectionString: url }, { schema }),
    })
    const { hostname, port, pathname } = new URL(url)
    return {
      kind: 'postgres',
      client,
      label: `postgresql://${hostname}:${port || 5432}${pathname} (schema ${schema})`,
      close: () => client.$disconnect(),
    }
  }
  const file = url?.startsWith('file:')
    ? url.slice('file:'.length)
    : join(options.dataDir, 'bridgekeeper.db')
  await mkdir(options.dataDir, { recursive: true })
  await migrateSqlite(file)
  const [{ PrismaBetterSqlite3 }, { PrismaClient: SqliteClient }] = await Promise.all([
    import('@prisma/adapter-better-sqlite3'),
    import('./generated/sqlite/client'),
  ])
  const client = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: file }) })
  return {
    kind: 'sqlite',
    client,
    file,
    label: `sqlite ${file}`,
    close: () => client.$disconnect(),
  }
}
