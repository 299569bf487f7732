/**
 * bench/edge.ts: median latency of `POST /v1/tokens/hasura` (session-authenticated) on the local
 * Worker (wrangler dev: workerd, Durable Object store) against the same request on the Node
 * server (@hono/node-server, memory store), in one run, as a ratio. Local workerd, not production.
 *
 *   npx tsx bench/edge.ts
 */
import { startWranglerDev } from '../test/helpers/wrangler-dev'
import { serveBenchBridge } from './bridge'
import { medianMs } from './median'
import { bearerSession } from './sign-in'

const node = await serveBenchBridge()
const worker = await startWranglerDev({
  MINT_PER_USER: '1000000',
  MINT_PER_IP: '1000000',
  LOG_LEVEL: 'error',
})

const mint = (base: string, secret: string) => async () => {
  const response = await fetch(`${base}/v1/tokens/hasura`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}` },
  })
  if (response.status !== 200) throw new Error(`${base}: ${response.status}`)
  await response.arrayBuffer()
}

try {
  const nodeMs = await medianMs(
    mint(node.url, await bearerSession(node.url, { sub: 'bench' })),
    300,
    30,
  )
  const workerMs = await medianMs(
    mint(worker.url, await bearerSession(worker.url, { sub: 'bench' })),
    300,
    30,
  )
  console.log(`Node server  POST /v1/tokens/hasura   median ${nodeMs.toFixed(2)} ms`)
  console.log(`local Worker POST /v1/tokens/hasura   median ${workerMs.toFixed(2)} ms`)
  console.log(`ratio Worker : Node                   ${(workerMs / nodeMs).toFixed(2)}`)
} finally {
  await worker.stop()
  await node.close()
}
process.exit(0)
