import type { MiddlewareHandler } from 'hono'

type SpanAttributes = Record<string, string | number | boolean>

/**
 * Spans around what a request spends its time on: the request itself, store calls, signing,
 * upstream token verification and each backend call. The Node runtime backs it with
 * OpenTelemetry when an SDK is registered; otherwise nothing is wrapped, so it costs nothing.
 */
export interface Tracing {
  /** Opens the request's span (the runtime's HTTP instrumentation). */
  readonly middleware: MiddlewareHandler
  /** Runs `run` inside a child span of the current one; a rejection marks the span as an error. */
  span<T>(name: string, attributes: SpanAttributes, run: () => Promise<T>): Promise<T>
}
