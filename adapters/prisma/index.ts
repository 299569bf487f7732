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
      'Secret: `postgresql://…` (`?schema=` honoured) or `file:path.db`, migrated on start. Unset: in development an embedded SQLite file under `.data/` with sample posts; in production the `prisma.model(…)` resources are not served',
    ),
})

/**
 * The Prisma driver on Node: PostgreSQL or SQLite (better-sqlite3), migrated on open with the
 * deployment's migrations; Workers use ./d1.ts instead. The database drivers are loaded only
 * when a database is configured.
 */
export const prismaAdapter = defineAdapter({
  id: 'prisma',
  env: prismaEnv,
  runtimes: ['node'],
  enabled: (env, { mode }) => env.DATABASE_URL !== undefined || mode === 'development',
  hint: 'set DATABASE_URL',
  async setup(env, { dataDir }) {
    const [{ openPrismaDatabase }, { seedDevelopmentDatabase }, { prismaDriver }] =
      await Promise.all([import('./node-database'), import('./seed'), import('./prisma-adapter')])
    const database = await openPrismaDatabase({
      url: env.DATABASE_URL,
      dataDir: dataDir ?? '.data',
    })
    if (database.file && !env.DATABASE_URL) await seedDevelopmentDatabase(database.file)
    const provider = database.kind === 'postgres' ? 'postgresql' : 'sqlite'
    return {
      drivers: { prisma: prismaDriver({ client: () => database.client, provider }) },
      summary: [database.label],
      close: () => database.close(),
    }
  },
})
