import type { TypedResourceDefinition } from '../src/data/resource'

type PostField = 'createdAt' | 'title' | 'body' | 'views' | 'authorId' | 'authorEmail'

/**
 * The post-publishing example's policy, shared by its Prisma and MongoDB resources: every
 * signed-in user reads every post; only its author edits or deletes it; the author fields are set
 * by the bridge, never by the client. Each backend adds what it stores differently (defaults).
 */
export const postsPolicy = {
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
