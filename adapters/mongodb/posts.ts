import type { Db } from 'mongodb'
import { defineResource } from '../../src/data/resource'
import { postsPolicy } from '../posts-policy'
import { mongoCollection } from './mongo-adapter'

/**
 * The post-publishing example as a MongoDB collection. MongoDB has no column defaults, so the
 * bridge sets `views` and `createdAt` on create; the unique index matches the Prisma schema's.
 */
export function mongoPosts(options: { db: () => Db; name?: string }) {
  return defineResource({
    ...postsPolicy,
    name: options.name ?? 'mongo-posts',
    backend: mongoCollection({
      db: options.db,
      collection: 'posts',
      indexes: [{ key: { authorId: 1, title: 1 }, unique: true, name: 'authorId_title' }],
    }),
    presets: { ...postsPolicy.presets, views: () => 0, createdAt: () => new Date().toISOString() },
    immutable: [...postsPolicy.immutable, 'createdAt'],
  })
}
