/**
 * Node entry: `npm start`. With its siblings, the only place that knows it runs on Node.
 * With no configuration it serves a development bridge on 127.0.0.1:8787 with an in-memory store,
 * an embedded SQLite database and a signing key generated under `.data/`.
 */
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import SonicBoom from 'sonic-boom'
import { assembleBridge } from '../../assembly/assemble'
import { ConfigError } from '../../config/config'
import { nodeRuntime } from './node-runtime'

/**
 * Log lines go to standard output through sonic-boom (pino's destination, without the rest of
 * pino), gathered up to 4 KiB (at least every 100 ms when it is quiet) and written in one system
 * call, synchronously, as pino's own default for stdout: under load one write carries many
 * access lines, no line waits in a native buffer for a thread-pool write (those buffers held
 * about 80 MB of the heap after a minute of minting), and a log reader that falls behind slows
 * the bridge down instead of growing its memory or losing audit lines. Flushed on any exit.
 */
const logOutput = new SonicBoom({ fd: 1, sync: true, minLength: 4096, periodicFlush: 100 })
process.on('exit', () => logOutput.flushSync())
/** How long requests in flight may take to finish after SIGTERM before they are cut. */
const SHUTDOWN_DEADLINE_MS = 10_000

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
    ...(await nodeRuntime(process.env)),
    logSink: (line) => logOutput.write(`${line}\n`),
    tracing,
  })
  const { config, store, keys, logger } = bridge

  // An HTTP/1.1 server (no `createServer` option is passed): it has closeIdleConnections.
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
        lines.push(
          `  keys     ${process.env.BRIDGE_DATA_DIR ?? '.data'}/signing-keys.json (development key, git-ignored)`,
        )
      process.stdout.write(`${lines.join('\n')}\n`)
    },
  ) as Server
  // A port another process holds is a first-run trap (a second `npm start`): say so, not a stack.
  server.once('error', (error: NodeJS.ErrnoException) => {
    const where = `${config.host}:${config.port}`
    process.stderr.write(
      error.code === 'EADDRINUSE'
        ? `bridgekeeper: ${where} is already in use (another bridge running?); set PORT to another port\n`
        : `bridgekeeper: cannot listen on ${where}: ${error.message}\n`,
    )
    void bridge.close().finally(() => exit(1))
  })

  /**
   * Graceful shutdown: stop accepting, let the requests in flight finish (their access lines are
   * written as each ends), then log `process.shutdown` as the last line, close the adapters and
   * flush the log. Requests still running after the deadline are cut; a second signal exits now.
   */
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return exit(1)
    stopping = true
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_DEADLINE_MS).unref()
    // Keep-alive connections hold the close open once their request is done: each is closed as
    // soon as it is idle, not after the keep-alive timeout.
    const idle = setInterval(() => server.closeIdleConnections(), 50).unref()
    server.close(() => {
      clearTimeout(deadline)
      clearInterval(idle)
      logger.info('process.shutdown', { signal })
      void bridge.close().finally(() => exit(0))
    })
    server.closeIdleConnections()
  }
  const exit = (code: number) => {
    logOutput.flushSync()
    process.exit(code)
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
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
