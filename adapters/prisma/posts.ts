import { defineResource } from '../../src/data/resource'
import { prismaModel } from './prisma-adapter'

/**
 * The post-publishing example: any signed-in user reads every post; only its author edits or
 * deletes it; the author fields are set by the bridge, never by the client.
 */
export function posts(options: { client: () => object; provider: 'postgresql' | 'sqlite' }) {
  return defineResource({
    name: 'posts',
    backend: prismaModel({ client: options.client, model: 'post', provider: options.provider }),
    fields: {
      createdAt: { type: 'datetime', readOnly: true },
      title: { type: 'string', maxLength: 200 },
      body: { type: 'string', maxLength: 20_000, nullable: true },
      views: { type: 'number', readOnly: true },
      authorId: { type: 'string' },
      authorEmail: { type: 'string' },
    },
    owner: { field: 'authorId', principal: 'userId' },
    operations: { list: 'all', get: 'all', create: true, update: 'own', delete: 'own' },
    readable: ['createdAt', 'title', 'body', 'views', 'authorId', 'authorEmail'],
    writable: ['title', 'body'],
    presets: { authorEmail: (principal) => principal.email ?? '' },
    immutable: ['authorEmail'],
    defaultSort: [{ field: 'createdAt', direction: 'desc' }],
  })
}
