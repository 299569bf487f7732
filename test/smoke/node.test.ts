import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { openPrismaDatabase } from '../../adapters/prisma/node-database'
import { loadResources } from '../../adapters/resources'
import { createApp } from '../../src/app'
import { startLocalAirtable } from '../airtable-server/server'
import { testServiceAccount } from '../helpers/service-account'
import { makeTestApp } from '../helpers/test-app'
import { SMOKE_AIRTABLE } from './fixtures'
import { defineProviderSmokeSuite, defineSmokeSuite } from './smoke-suite'

const airtable = await startLocalAirtable({ token: SMOKE_AIRTABLE.token, bases: { [SMOKE_AIRTABLE.baseId]: ['Apartments'] } })
for (const row of SMOKE_AIRTABLE.rows) airtable.seed(SMOKE_AIRTABLE.baseId, 'Apartments', row)
const database = await openPrismaDatabase({ dataDir: await mkdtemp(join(tmpdir(), 'bk-smoke-')) })
const env = {
  AIRTABLE_ENDPOINT_URL: airtable.url,
  AIRTABLE_BASE_ID: SMOKE_AIRTABLE.baseId,
  AIRTABLE_TOKEN: SMOKE_AIRTABLE.token,
  FIREBASE_SERVICE_ACCOUNT: JSON.stringify(testServiceAccount().account),
}
const t = await makeTestApp(env)
const resources = loadResources(env, { prisma: { client: database.client, provider: 'sqlite' } })
if (!resources.ok) throw new Error(resources.problems.join('\n'))
const app = createApp({ ...t.deps, resources: resources.resources })
afterAll(async () => {
  await airtable.close()
  await database.close()
})

defineSmokeSuite('node', async (request) => app.request(request))
defineProviderSmokeSuite('node', async (request) => app.request(request))
