/**
 * Node entry: `npm start`. With its siblings, the only place that knows it runs on Node.
 * With no configuration it serves a development bridge on 127.0.0.1:8787 with an in-memory store,
 * an embedded SQLite database and a signing key generated under `.data/`.
 */
import { serve } from '@hono/node-server'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getConnInfo } from '@hono/node-server/conninfo'
import pino from 'pino'
import { nodeAdapters } from '../../../adapters/node'
import { assembleBridge } from '../../assembly/assemble'
import { ConfigError } from '../../config/config'
import { loadOrCreateDevKeys } from './dev-keys'
import { nodeSignature } from './node-signature'
import { prometheusMetrics } from './prometheus'

const DATA_DIR = process.env.BRIDGE_DATA_DIR ?? '.data'

/**
 * Log lines go to standard output through pino's asynchronous destination (sonic-boom): a
 * request never waits for a write, and lines are flushed on shutdown. (A pipe or file stdout is
 * written synchronously by Node's console.)
 */
const logOutput = pino.destination({ dest: 1, sync: false })

/**
 * Whether an OpenTelemetry SDK registered a tracer provider before start-up (`node --import`),
 * read from the API's global registry without loading the API: no SDK, no tracing code at all.
 */
function tracerRegistered(): boolean {
  const registry = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[
    Symbol.for('opentelemetry.js.api.1')
  ]
  return registry?.trace !== undefined
}

async function main(): Promise<void> {
  const tracing = tracerRegistered()
    ? (await import('./open-telemetry')).openTelemetryTracing()
    : undefined
  const bridge = await assembleBridge({
    name: 'node',
    env: process.env,
    adapters: nodeAdapters,
    defaultMode: 'development',
    dataDir: DATA_DIR,
    logSink: (line) => logOutput.write(`${line}\n`),
    signature: nodeSignature,
    http1: true,
    // Collected only when someone may read them.
    metrics: process.env.METRICS_TOKEN ? prometheusMetrics() : undefined,
    tracing,
    developmentKeys: () => loadOrCreateDevKeys(DATA_DIR),
    demoClient: builtClient(),
    socketAddress: (c) => {
      try {
        return getConnInfo(c).remote.address
      } catch {
        return undefined
      }
    },
  })
  const { config, store, keys, logger } = bridge

  const server = serve(
    { fetch: bridge.app.fetch, hostname: config.host, port: config.port },
    (info) => {
      const base = config.publicUrl
      const lines = [
        `Bridgekeeper ${config.mode === 'development' ? '(development mode) ' : ''}listening on ${info.address}:${info.port}`,
        `  health   ${base}/healthz`,
        `  API docs ${base}/docs  (OpenAPI: ${base}/openapi.json)`,
        `  store    ${store.kind}`,
        `  data     ${bridge.resources.map((r) => `/v1/data/${r.name}`).join(', ') || '(none)'}`,
        ...(config.mode === 'development' ? [`  demo     ${base}/demo`] : []),
        `  tokens   ${bridge.templates.map((t) => `/v1/tokens/${t.name}`).join(', ')}`,
        `  JWKS     ${base}/.well-known/jwks.json (${keys.kind} keys)`,
        ...bridge.summary.map((line) => `  ${line}`),
      ]
      if (
        config.mode === 'development' &&
        keys.kind === 'static' &&
        !config.signingKeys &&
        !config.keys.pem
      )
        lines.push(`  keys     ${DATA_DIR}/signing-keys.json (development key, git-ignored)`)
      process.stdout.write(`${lines.join('\n')}\n`)
    },
  )

  const shutdown = (signal: string) => {
    logger.info('process.shutdown', { signal })
    const exit = () => {
      logOutput.flushSync()
      process.exit(0)
    }
    server.close(() => {
      void bridge.close().finally(exit)
    })
    setTimeout(exit, 5000).unref()
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

/**
 * dist/client.js when it was built (npm ci builds it), for the development demo page; found from
 * this module whether it runs from source (src/runtime/node/) or compiled (dist/server/).
 */
function builtClient(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'dist/client.js')
    if (existsSync(file)) return readFileSync(file, 'utf8')
    if (dirname(dir) === dir) return undefined
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(
      `bridgekeeper: invalid configuration\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`,
    )
  } else {
    process.stderr.write(
      `bridgekeeper: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    )
  }
  process.exit(1)
})
