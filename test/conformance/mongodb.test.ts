import { ObjectId } from 'mongodb'
import { afterAll } from 'vitest'
import { mongoCollection } from '../../adapters/mongodb/mongo-adapter'
import { testMongo } from '../helpers/mongo'
import { makeTestApp, testAdapter } from '../helpers/test-app'
import { CONFORMANCE_ENV, defineAdapterConformance } from './data-adapter-suite'
import { notesResource } from './notes-resource'

let mongo: Awaited<ReturnType<typeof testMongo>> | undefined
afterAll(() => mongo?.close())

defineAdapterConformance(
  `mongodb (official driver, ${process.env.MONGODB_URL ? 'MONGODB_URL' : 'local wire-protocol server'})`,
  async () => {
    mongo = await testMongo(`bk_conformance_${Math.random().toString(36).slice(2, 8)}`)
    const db = mongo.db
    const t = await makeTestApp(CONFORMANCE_ENV, {
      adapters: [
        testAdapter({
          resources: [notesResource(mongoCollection({ db: () => db, collection: 'notes' }))],
        }),
      ],
    })
    const app = t.app
    return {
      app,
      reset: async () => {
        await db.collection('notes').deleteMany({})
      },
      raw: async (id) => {
        const doc = await db.collection('notes').findOne({ _id: new ObjectId(id) })
        if (!doc) return null
        const { _id, ...fields } = doc
        return {
          title: null,
          body: null,
          done: false,
          priority: null,
          ownerId: null,
          secret: null,
          ...fields,
        }
      },
    }
  },
)
