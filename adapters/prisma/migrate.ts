import { readMigrations } from './migration-files'

/**
 * Applies the deployment's migrations (`adapters/app/migrations/`, written by `npm run
 * db:migration`) with the driver: each database runs its own section. Each runs once, in a
 * transaction, recorded in `_bridgekeeper_migrations`; an advisory lock keeps instances starting
 * together from racing.
 */
export async function migratePostgres(
  connectionString: string,
  schema = 'public',
  migrationsDir?: string,
): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('invalid schema name')
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString })
  await client.connect()
  const applied: string[] = []
  try {
    await client.query('SELECT pg_advisory_lock(727274)')
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    await client.query(`SET search_path TO "${schema}"`)
    await client.query(
      'CREATE TABLE IF NOT EXISTS _bridgekeeper_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    )
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM _bridgekeeper_migrations')).rows.map(
        (r) => r.name,
      ),
    )
    for (const { name, sql: sections } of await readMigrations(migrationsDir)) {
      const sql = sections.postgresql
      if (done.has(name)) continue
      await client.query('BEGIN')
      try {
        await client.query(sql)
        await client.query('INSERT INTO _bridgekeeper_migrations (name) VALUES ($1)', [name])
        await client.query('COMMIT')
        applied.push(name)
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(727274)').catch(() => {})
    await client.end()
  }
  return applied
}

export async function migrateSqlite(file: string, migrationsDir?: string): Promise<string[]> {
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(file)
  const applied: string[] = []
  try {
    db.pragma('journal_mode = WAL')
    db.exec(
      'CREATE TABLE IF NOT EXISTS _bridgekeeper_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)',
    )
    const done = new Set(
      db
        .prepare('SELECT name FROM _bridgekeeper_migrations')
        .all()
        .map((r) => (r as { name: string }).name),
    )
    for (const { name, sql: sections } of await readMigrations(migrationsDir)) {
      const sql = sections.sqlite
      if (done.has(name)) continue
      db.transaction(() => {
        db.exec(sql)
        db.prepare('INSERT INTO _bridgekeeper_migrations (name) VALUES (?)').run(name)
      })()
      applied.push(name)
    }
  } finally {
    db.close()
  }
  return applied
}
