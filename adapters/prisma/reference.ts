import type { BackendReference } from '../../src/data/resource'

export type PrismaReference = BackendReference & { driver: 'prisma'; model: string }

/**
 * Rows of a model of `adapters/app/schema.prisma`, on whichever database the Prisma driver
 * opened (PostgreSQL, SQLite, D1): `backend: prisma.model('Post')`.
 */
export const prisma = {
  model: (model: string): PrismaReference => ({ driver: 'prisma', model }),
}
