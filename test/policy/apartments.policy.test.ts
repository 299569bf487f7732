import { afterAll } from 'vitest'
import { apartments } from '../../adapters/app/resources'
import { onAirtable } from '../helpers/drivers'
import { startLocalAirtable, type LocalAirtable } from '../fakes/airtable/server'
import { definePolicyCases } from '../helpers/policy-cases'

// The example of docs/data.md "Testing your policies": apartments on a local Airtable-compatible server.
const BASE = 'appPolicyCases0001'
const TOKEN = 'patLocalPolicyCas.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
let server: LocalAirtable | undefined
afterAll(() => server?.close())

definePolicyCases('apartments (Airtable)', {
  resource: async () => {
    server = await startLocalAirtable({
      token: TOKEN,
      bases: { [BASE]: ['Apartments'] },
      ratePerSecond: 10_000,
    })
    const local = server
    return onAirtable(apartments, {
      baseId: BASE,
      connection: () => ({ token: TOKEN, endpointUrl: local.url, requestsPerSecond: 10_000 }),
    })
  },
  rows: {
    alicesFlat: { Name: 'Canal flat', Price: 1200, Visited: false, Email: 'alice@example.com' },
    bobsFlat: { Name: 'Loft', Price: 1500, Visited: false, Email: 'bob@example.com' },
  },
  cases: [
    { user: 'alice', operation: 'list', expected: 'allowed', sees: ['alicesFlat'] },
    { user: 'alice', operation: 'get', row: 'bobsFlat', expected: 'not_found' },
    {
      user: 'alice',
      operation: 'update',
      row: 'alicesFlat',
      body: { Visited: true },
      expected: 'allowed',
    },
    {
      user: 'alice',
      operation: 'update',
      row: 'alicesFlat',
      body: { Price: 1 },
      expected: 'field_not_writable',
    },
    {
      user: 'alice',
      operation: 'update',
      row: 'bobsFlat',
      body: { Visited: true },
      expected: 'not_found',
    },
    // An unverified address proves nothing: no rows for it, even with the owner's address.
    {
      user: { sub: 'mallory', email: 'alice@example.com', emailVerified: false },
      operation: 'list',
      expected: 'email_not_verified',
    },
    {
      user: 'alice',
      operation: 'create',
      body: { Name: 'New' },
      expected: 'operation_not_allowed',
    },
    { user: 'alice', operation: 'delete', row: 'alicesFlat', expected: 'operation_not_allowed' },
  ],
})
