import { randomUUID } from 'node:crypto'

const SAMPLES = [
  {
    title: 'Welcome to Bridgekeeper',
    body: 'Every signed-in user can read posts; only the author can edit them.',
  },
  {
    title: 'Row-level policies',
    body: 'The owner is set by the bridge and is part of every update and delete.',
  },
  { title: 'Try it', body: 'POST /dev/token, then POST /v1/data/posts with a title.' },
]

/**
 * A few sample posts for the embedded development database, added once to an empty table.
 * Written with the SQLite driver, not Prisma: the first Prisma query compiles its query engine
 * (about 200 ms and 60 MB), which a start-up shouldn't pay for three rows.
 */
export async function seedSamplePosts(file: string): Promise<number> {
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(file)
  try {
    const { count } = db.prepare('SELECT count(*) AS count FROM "Post"').get() as { count: number }
    if (count > 0) return 0
    const insert = db.prepare(
      'INSERT INTO "Post" ("id", "createdAt", "title", "body", "authorId", "authorEmail") VALUES (?, ?, ?, ?, ?, ?)',
    )
    const createdAt = new Date().toISOString().replace('Z', '+00:00')
    db.transaction(() => {
      for (const { title, body } of SAMPLES)
        insert.run(randomUUID(), createdAt, title, body, 'bridgekeeper', 'team@bridgekeeper.dev')
    })()
    return SAMPLES.length
  } finally {
    db.close()
  }
}
