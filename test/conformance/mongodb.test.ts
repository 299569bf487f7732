import { ObjectId } from 'mongodb'
import { afterAll } from 'vitest'
import { mongoCollection } from '../../adapters/mongodb/mongo-adapter'
import { testMongo } from '../helpers/mongo'
import { defineAdapterConformance } from './data-adapter-suite'
import { notesApp, withEmptyCells } from './notes-resource'

let mongo: Awaited<ReturnType<typeof testMongo>> | undefined
afterAll(() => mongo?.close())

defineAdapterConformance(
  `mongodb (official driver, ${process.env.MONGODB_URL ? 'MONGODB_URL' : 'local wire-protocol server'})`,
  async () => {
    mongo = await testMongo(`bk_conformance_${Math.random().toString(36).slice(2, 8)}`)
    const db = mongo.db
    const app = await notesApp(mongoCollection({ db: () => db, collection: 'notes' }))
    return {
      app,
      reset: async () => {
        await db.collection('notes').deleteMany({})
      },
      raw: async (id) => {
        const doc = await db.collection('notes').findOne({ _id: new ObjectId(id) })
        if (!doc) return null
        const { _id, ...fields } = doc
        return withEmptyCells(fields)
      },
    }
  },
)
