import { afterAll } from 'vitest'
import { airtableTable } from '../../adapters/airtable/airtable-adapter'
import { startLocalAirtable, type LocalAirtable } from '../fakes/airtable/server'
import { defineAdapterConformance } from './data-adapter-suite'
import { notesApp, withEmptyCells } from './notes-resource'

const BASE = 'appConformance0001'
const TOKEN = 'patLocalConform01.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
let server: LocalAirtable | undefined
afterAll(() => server?.close())

defineAdapterConformance(
  'airtable (official client, local Airtable-compatible server)',
  async () => {
    // The conformance run lifts the 5 req/s budget on both sides (high enough that each user's
    // 40% share outlasts 10,000 property cases on the test's frozen clock); the rate tests keep it.
    server = await startLocalAirtable({
      token: TOKEN,
      bases: { [BASE]: ['Notes'] },
      ratePerSecond: 1_000_000,
    })
    const local = server
    const backend = airtableTable({
      baseId: BASE,
      table: 'Notes',
      connection: () => ({ token: TOKEN, endpointUrl: local.url, requestsPerSecond: 1_000_000 }),
    })
    const app = await notesApp(backend)
    return {
      app,
      reset: async () => local.clear(BASE, 'Notes'),
      raw: async (id) => {
        const record = local.table(BASE, 'Notes').get(id)
        if (!record) return null
        // Airtable leaves out empty cells; read them as a client would.
        return withEmptyCells(record.fields)
      },
    }
  },
)
