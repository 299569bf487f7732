import type { TestProject } from 'vitest/node'
import { startLocalAirtable } from '../fakes/airtable/server'
import { testServiceAccount } from '../helpers/service-account'
import { SMOKE_AIRTABLE } from '../smoke/fixtures'

/**
 * Runs in Node before the workerd suites: the local Airtable-compatible server (which the Worker
 * reaches over real HTTP on 127.0.0.1) and a throwaway Firebase service account.
 */
export default async function setup(project: TestProject) {
  const airtable = await startLocalAirtable({
    token: SMOKE_AIRTABLE.token,
    bases: { [SMOKE_AIRTABLE.baseId]: ['Apartments'] },
  })
  for (const row of SMOKE_AIRTABLE.rows) airtable.seed(SMOKE_AIRTABLE.baseId, 'Apartments', row)
  project.provide('airtableUrl', airtable.url)
  project.provide('firebaseServiceAccount', JSON.stringify(testServiceAccount().account))
  return () => airtable.close()
}

declare module 'vitest' {
  export interface ProvidedContext {
    airtableUrl: string
    firebaseServiceAccount: string
  }
}
