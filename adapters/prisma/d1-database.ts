import { PrismaD1 } from '@prisma/adapter-d1'
import { PrismaClient } from './generated/d1/client'

/** Workers: a Prisma client on a D1 binding (migrations: `wrangler d1 migrations apply`). */
export function openD1Database(binding: unknown): object {
  return new PrismaClient({
    adapter: new PrismaD1(binding as ConstructorParameters<typeof PrismaD1>[0]),
  })
}
