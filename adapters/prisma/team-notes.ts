import type { Principal } from '../../src/identity/principal'
import { defineResource } from '../../src/data/resource'
import type { Condition } from '../../src/data/types'
import { prismaModel } from './prisma-adapter'

/** Clerk names an organization's admin role `org:admin`; other providers often `admin`. */
const ADMIN_ROLES = ['org:admin', 'admin']

/** The organization's rows, for its admins only; null (refused) for everyone else. */
function organizationAdmins(principal: Principal): Condition[] | null {
  if (!principal.orgId || !principal.orgRole || !ADMIN_ROLES.includes(principal.orgRole))
    return null
  return [{ field: 'ownerId', op: 'eq', value: principal.orgId }]
}

/**
 * An organization-scoped example on the `Note` model: rows belong to an organization (the
 * `org_id` of the caller's token, never one the client sends); every member reads them; only the
 * organization's admins create, edit or delete them. A caller with no organization gets nothing.
 */
export function teamNotes(options: { client: () => object; provider: 'postgresql' | 'sqlite' }) {
  return defineResource({
    name: 'team-notes',
    backend: prismaModel({ client: options.client, model: 'note', provider: options.provider }),
    fields: {
      title: { type: 'string', maxLength: 200 },
      body: { type: 'string', maxLength: 20_000, nullable: true },
      done: { type: 'boolean' },
      priority: { type: 'number', nullable: true },
      ownerId: { type: 'string' },
    },
    owner: { field: 'ownerId', principal: 'orgId' },
    operations: {
      list: 'own',
      get: 'own',
      create: organizationAdmins,
      update: organizationAdmins,
      delete: organizationAdmins,
    },
    readable: ['title', 'body', 'done', 'priority', 'ownerId'],
    writable: ['title', 'body', 'done', 'priority'],
    defaultSort: [{ field: 'title', direction: 'asc' }],
  })
}
