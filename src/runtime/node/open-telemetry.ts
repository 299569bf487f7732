import { httpInstrumentationMiddleware } from '@hono/otel'
import { SpanStatusCode, trace, type TracerProvider } from '@opentelemetry/api'
import packageJson from '../../../package.json'
import type { Tracing } from '../../observability/tracing'

/**
 * Tracing through @opentelemetry/api: the HTTP span from @hono/otel (named by route pattern),
 * child spans from the global tracer. The SDK, its exporter and its context manager are the
 * operator's (docs/operations.md, "Traces"); `provider` lets a test pass its own.
 */
export function openTelemetryTracing(provider?: TracerProvider): Tracing {
  const tracerProvider = provider ?? trace.getTracerProvider()
  const tracer = tracerProvider.getTracer('bridgekeeper', packageJson.version)
  return {
    middleware: httpInstrumentationMiddleware({
      tracerProvider,
      serviceName: 'bridgekeeper',
      serviceVersion: packageJson.version,
    }),
    span: (name, attributes, run) =>
      tracer.startActiveSpan(name, { attributes }, async (span) => {
        try {
          return await run()
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error))
          span.setStatus({ code: SpanStatusCode.ERROR })
          throw error
        } finally {
          span.end()
        }
      }),
  }
}
