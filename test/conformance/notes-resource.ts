import { defineResource, type ResourceDefinition } from '../../src/data/resource'
import type { BackendContext, DataAdapter } from '../../src/data/types'

/**
 * The resource every data adapter is tested with: the same fields and policy on Airtable,
 * Prisma (PostgreSQL and SQLite) and MongoDB.
 */
export function notesResource(
  backend: (context: BackendContext) => DataAdapter,
  overrides: Partial<ResourceDefinition> = {},
) {
  return defineResource({
    name: 'notes',
    backend,
    fields: {
      title: { type: 'string', maxLength: 500 },
      body: { type: 'string', nullable: true, maxLength: 2000 },
      done: { type: 'boolean' },
      priority: { type: 'number' },
      ownerId: { type: 'string' },
      secret: { type: 'string' },
    },
    owner: { field: 'ownerId', principal: 'userId' },
    operations: { list: 'own', get: 'own', create: true, update: 'own', delete: 'own' },
    readable: ['title', 'body', 'done', 'priority', 'ownerId'],
    writable: ['title', 'body', 'done', 'priority'],
    presets: { secret: () => 'classified' },
    defaultSort: [{ field: 'priority', direction: 'asc' }],
    ...overrides,
  })
}
