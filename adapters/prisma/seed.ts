import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { appFolder } from './migration-files'

/**
 * Runs the deployment's `adapters/app/seed.sql` on the embedded development database (SQLite,
 * when no DATABASE_URL is set), once per start: the file's own statements decide what is
 * missing. Run with the SQLite driver, not Prisma: the first Prisma query compiles its query
 * engine (about 200 ms and 60 MB), which a start-up shouldn't pay for a few rows.
 */
export async function seedDevelopmentDatabase(file: string): Promise<void> {
  const seed = join(appFolder(), 'seed.sql')
  if (!existsSync(seed)) return
  const sql = await readFile(seed, 'utf8')
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(file)
  try {
    db.transaction(() => db.exec(sql))()
  } finally {
    db.close()
  }
}
