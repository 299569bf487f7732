import type { Db } from 'mongodb'
import { defineResource } from '../../src/data/resource'
import { mongoCollection } from './mongo-adapter'

/**
 * The post-publishing example as a MongoDB collection: every signed-in user reads every post;
 * only its author edits or deletes it; author fields, `views` and `createdAt` are set by the bridge.
 */
export function mongoPosts(options: { db: () => Db; name?: string }) {
  return defineResource({
    name: options.name ?? 'mongo-posts',
    backend: mongoCollection({ db: options.db, collection: 'posts', indexes: [{ key: { authorEmail: 1, title: 1 }, unique: true, name: 'authorEmail_title' }] }),
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
    // MongoDB has no column defaults: the bridge sets them on create.
    presets: {
      authorEmail: (principal) => principal.email ?? '',
      views: () => 0,
      createdAt: () => new Date().toISOString(),
    },
    immutable: ['authorEmail', 'createdAt'],
    defaultSort: [{ field: 'createdAt', direction: 'desc' }],
  })
}
