/**
 * bench/proxy-airtable.ts: median latency of listing one's own apartments through the bridge
 * (HTTP, session auth, policy, official airtable client, formula) against calling the local
 * Airtable-compatible server directly with the same formula, in one run, as a ratio.
 *
 *   npx tsx bench/proxy-airtable.ts
 */
import { apartments } from '../adapters/airtable/apartments'
import { compileFormula } from '../adapters/airtable/formula'
import { startLocalAirtable } from '../test/fakes/airtable/server'
import { testAdapter } from '../test/helpers/test-app'
import { serveBenchBridge } from './bridge'
import { medianMs } from './median'
import { bearerSession } from './sign-in'

const BASE = 'appBenchmark000001'
const TOKEN = 'patLocalBenchmark.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
const airtable = await startLocalAirtable({
  token: TOKEN,
  bases: { [BASE]: ['Apartments'] },
  ratePerSecond: 1_000_000,
})
for (let i = 0; i < 200; i++) {
  airtable.seed(BASE, 'Apartments', {
    Name: `Flat ${i}`,
    Address: `${i} Main St`,
    Price: 1000 + i,
    Email: i % 4 === 0 ? 'ada@example.com' : `other${i}@example.com`,
  })
}

const bridge = await serveBenchBridge({
  adapters: [
    testAdapter({
      resources: [
        apartments({
          baseId: BASE,
          connection: () => ({
            token: TOKEN,
            endpointUrl: airtable.url,
            requestsPerSecond: 1_000_000,
          }),
        }),
      ],
    }),
  ],
})
const secret = await bearerSession(bridge.url, { sub: 'ada', email: 'ada@example.com' })

const throughBridge = async () => {
  const response = await fetch(`${bridge.url}/v1/data/apartments?limit=50`, {
    headers: { authorization: `Bearer ${secret}` },
  })
  const body = (await response.json()) as { data: unknown[] }
  if (body.data.length !== 50) throw new Error(`expected 50 rows, got ${body.data.length}`)
}
const formula = compileFormula([{ field: 'Email', op: 'eq', value: 'ada@example.com' }])
const direct = async () => {
  const url = `${airtable.url}/v0/${BASE}/Apartments?filterByFormula=${encodeURIComponent(formula)}&pageSize=50&sort[0][field]=Name&sort[0][direction]=asc`
  const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })
  const body = (await response.json()) as { records: unknown[] }
  if (body.records.length !== 50) throw new Error('direct: wrong count')
}

const directMs = await medianMs(direct)
const bridgeMs = await medianMs(throughBridge)
console.log(`direct to the local Airtable server   median ${directMs.toFixed(2)} ms`)
console.log(`through the bridge (session, policy)  median ${bridgeMs.toFixed(2)} ms`)
console.log(`ratio bridge : direct                 ${(bridgeMs / directMs).toFixed(2)}`)
await bridge.close()
await airtable.close()
process.exit(0)
