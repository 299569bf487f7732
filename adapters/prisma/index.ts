import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'

const prismaEnv = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|file:)/, {
      message: 'must be a postgresql:// URL or file:path.db (SQLite)',
    })
    .optional()
    .describe(
      'Secret: `postgresql://…` (`?schema=` honoured) or `file:path.db`, migrated on start. Unset: in development an embedded SQLite file under `.data/` with sample posts; in production no `posts` resource',
    ),
})

/**
 * The `posts` example on Prisma, Node: PostgreSQL or SQLite (better-sqlite3). Workers use
 * ./d1.ts instead. The database drivers are loaded only when a database is configured.
 */
export const prismaAdapter = defineAdapter({
  id: 'prisma',
  env: prismaEnv,
  runtimes: ['node'],
  enabled: (env, { mode }) => env.DATABASE_URL !== undefined || mode === 'development',
  hint: 'set DATABASE_URL',
  async setup(env, { dataDir }) {
    const [{ openPrismaDatabase }, { seedSamplePosts }, { posts }, { teamNotes }] =
      await Promise.all([
        import('./node-database'),
        import('./samples'),
        import('./posts'),
        import('./team-notes'),
      ])
    const database = await openPrismaDatabase({
      url: env.DATABASE_URL,
      dataDir: dataDir ?? '.data',
    })
    if (database.file && !env.DATABASE_URL) await seedSamplePosts(database.file)
    const provider = database.kind === 'postgres' ? 'postgresql' : 'sqlite'
    return {
      resources: [
        posts({ client: () => database.client, provider }),
        teamNotes({ client: () => database.client, provider }),
      ],
      summary: [`/v1/data/posts and /v1/data/team-notes on ${database.label}`],
      close: () => database.close(),
    }
  },
})
