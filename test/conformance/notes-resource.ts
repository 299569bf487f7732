import { defineResource, type ResourceDefinition } from '../../src/data/resource'
import type { BackendContext, DataAdapter } from '../../src/data/types'
import { makeTestApp, testAdapter } from '../helpers/test-app'
import { CONFORMANCE_ENV } from './data-adapter-suite'

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

/**
 * A test bridge serving `notes` on `backend`, with the conformance environment, and
 * `org-notes`: the same table, its rows owned by the caller's organization instead.
 */
export async function notesApp(backend: (context: BackendContext) => DataAdapter) {
  const orgNotes = notesResource(backend, {
    name: 'org-notes',
    owner: { field: 'ownerId', principal: 'orgId' },
  })
  const t = await makeTestApp(CONFORMANCE_ENV, {
    adapters: [testAdapter({ resources: [notesResource(backend), orgNotes] })],
  })
  return t.app
}

/** A stored note as a client reads it: a backend that leaves out empty cells reads them as empty. */
export function withEmptyCells(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    title: null,
    body: null,
    done: false,
    priority: null,
    ownerId: null,
    secret: null,
    ...fields,
  }
}
