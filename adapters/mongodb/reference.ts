import type { BackendReference } from '../../src/data/resource'

/** An index the driver creates once, before the collection's first use. */
export type MongoIndex = { key: Record<string, 1 | -1>; unique?: boolean; name?: string }

export type MongoReference = BackendReference & {
  driver: 'mongodb'
  collection: string
  indexes?: MongoIndex[]
}

/** Documents of a collection in `MONGODB_DATABASE`: `backend: mongodb.collection('posts')`. */
export const mongodb = {
  collection: (collection: string, options: { indexes?: MongoIndex[] } = {}): MongoReference => ({
    driver: 'mongodb',
    collection,
    ...options,
  }),
}
