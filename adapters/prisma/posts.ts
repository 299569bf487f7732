import { defineResource } from '../../src/data/resource'
import { postsPolicy } from '../posts-policy'
import { prismaModel } from './prisma-adapter'

/** The post-publishing example on Prisma: the database sets `createdAt` and `views` (column defaults). */
export function posts(options: { client: () => object; provider: 'postgresql' | 'sqlite' }) {
  return defineResource({
    ...postsPolicy,
    name: 'posts',
    backend: prismaModel({ client: options.client, model: 'post', provider: options.provider }),
    fields: {
      ...postsPolicy.fields,
      createdAt: { type: 'datetime', readOnly: true },
      views: { type: 'number', readOnly: true },
    },
  })
}
