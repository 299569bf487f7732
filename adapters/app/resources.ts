import {
  airtable,
  defineResource,
  mongodb,
  prisma,
  type Condition,
  type Principal,
  type TypedResourceDefinition,
} from '../bridgekeeper'

/*
 * The deployment's resources: each export is served at /v1/data/{name} when its driver is set
 * up (Prisma: DATABASE_URL, or the embedded SQLite in development; MongoDB: MONGODB_URL;
 * Airtable: AIRTABLE_TOKEN). Add yours at the end; see README, "Add your own table".
 */

type PostField = 'createdAt' | 'title' | 'body' | 'views' | 'authorId' | 'authorEmail'

/**
 * The post-publishing policy, shared by its Prisma and MongoDB resources: every signed-in user
 * reads every post; only its author edits or deletes it; the author fields are set by the
 * bridge, never by the client.
 */
const postsPolicy = {
  fields: {
    createdAt: { type: 'datetime' },
    title: { type: 'string', maxLength: 200 },
    body: { type: 'string', maxLength: 20_000, nullable: true },
    views: { type: 'number' },
    authorId: { type: 'string' },
    authorEmail: { type: 'string' },
  },
  owner: { field: 'authorId', principal: 'userId' },
  operations: { list: 'all', get: 'all', create: true, update: 'own', delete: 'own' },
  readable: ['createdAt', 'title', 'body', 'views', 'authorId', 'authorEmail'],
  writable: ['title', 'body'],
  // Only a verified address is written as the author's: an unverified one proves nothing.
  presets: {
    authorEmail: (principal) => (principal.emailVerified && principal.email ? principal.email : ''),
  },
  immutable: ['authorEmail'],
  defaultSort: [{ field: 'createdAt', direction: 'desc' }],
} satisfies Omit<TypedResourceDefinition<PostField>, 'name' | 'backend'>

/** Posts on Prisma (model `Post`): the database sets `createdAt` and `views` (column defaults). */
export const posts = defineResource({
  ...postsPolicy,
  name: 'posts',
  backend: prisma.model('Post'),
  fields: {
    ...postsPolicy.fields,
    createdAt: { type: 'datetime', readOnly: true },
    views: { type: 'number', readOnly: true },
  },
})

/**
 * The same posts as a MongoDB collection. MongoDB has no column defaults, so the bridge sets
 * `views` and `createdAt` on create; the unique index matches the Prisma schema's.
 */
export const mongoPosts = defineResource({
  ...postsPolicy,
  name: 'mongo-posts',
  backend: mongodb.collection('posts', {
    indexes: [{ key: { authorId: 1, title: 1 }, unique: true, name: 'authorId_title' }],
  }),
  presets: { ...postsPolicy.presets, views: () => 0, createdAt: () => new Date().toISOString() },
  immutable: [...postsPolicy.immutable, 'createdAt'],
})

/** Clerk names an organization's admin role `org:admin`; other providers often `admin`. */
const ADMIN_ROLES = ['org:admin', 'admin']

/** The organization's rows, for its admins only; null (refused) for everyone else. */
function organizationAdmins(principal: Principal): Condition[] | null {
  if (!principal.orgId || !principal.orgRole || !ADMIN_ROLES.includes(principal.orgRole))
    return null
  return [{ field: 'ownerId', op: 'eq', value: principal.orgId }]
}

/**
 * Organization-scoped notes (model `Note`): rows belong to an organization (the caller's token's
 * organization, never one the client sends); every member reads them; only the organization's
 * admins create, edit or delete them. A caller with no organization gets nothing.
 */
export const teamNotes = defineResource({
  name: 'team-notes',
  backend: prisma.model('Note'),
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

/**
 * Apartment hunting on Airtable: an `Apartments` table whose `Email` column holds the owner. A
 * user lists and opens only their own apartments and may change only `Visited`.
 */
export const apartments = defineResource({
  name: 'apartments',
  backend: airtable.table('Apartments'),
  fields: {
    Name: { type: 'string', maxLength: 200 },
    Address: { type: 'string', maxLength: 500 },
    Price: { type: 'number' },
    Visited: { type: 'boolean' },
    Notes: { type: 'string', maxLength: 5000, nullable: true },
    Email: { type: 'string' },
  },
  owner: { field: 'Email', principal: 'email' },
  operations: { list: 'own', get: 'own', update: 'own' },
  readable: ['Name', 'Address', 'Price', 'Visited', 'Notes', 'Email'],
  writable: ['Visited'],
  defaultSort: [{ field: 'Name', direction: 'asc' }],
})
