import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { App } from '../../src/assembly/create-app'

/** Serves an app on a random loopback port over real HTTP. */
export async function serveApp(app: App) {
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
