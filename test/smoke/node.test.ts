import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { airtableAdapter } from '../../adapters/airtable'
import { prismaAdapter } from '../../adapters/prisma'
import { startLocalAirtable } from '../fakes/airtable/server'
import { testServiceAccount } from '../helpers/service-account'
import { makeTestApp, deploymentResources } from '../helpers/test-app'
import { SMOKE_AIRTABLE } from './fixtures'
import { defineProviderSmokeSuite, defineSmokeSuite } from './smoke-suite'

const airtable = await startLocalAirtable({
  token: SMOKE_AIRTABLE.token,
  bases: { [SMOKE_AIRTABLE.baseId]: ['Apartments'] },
})
for (const row of SMOKE_AIRTABLE.rows) airtable.seed(SMOKE_AIRTABLE.baseId, 'Apartments', row)
const env = {
  DATABASE_URL: `file:${join(await mkdtemp(join(tmpdir(), 'bk-smoke-')), 'bridgekeeper.db')}`,
  AIRTABLE_ENDPOINT_URL: airtable.url,
  AIRTABLE_BASE_ID: SMOKE_AIRTABLE.baseId,
  AIRTABLE_TOKEN: SMOKE_AIRTABLE.token,
  FIREBASE_SERVICE_ACCOUNT: JSON.stringify(testServiceAccount().account),
}
// The real adapters, set up from the environment by the same assembly as `npm start`.
const bridge = await makeTestApp(env, {
  adapters: [prismaAdapter, airtableAdapter, deploymentResources],
})
const app = bridge.app
afterAll(async () => {
  await airtable.close()
  await bridge.close()
})

defineSmokeSuite('node', async (request) => app.request(request))
defineProviderSmokeSuite('node', async (request) => app.request(request))
