import type { Context } from 'hono'
import { routePath } from 'hono/route'
import type { AppEnv } from './app-env'
import type { AuditTrail, EventOrigin } from '../audit/audit-trail'
import type { Clock } from '../clock'
import type { TrustProxy } from '../config/config'
import { newId } from '../ids/prefixed-id'
import type { Logger } from '../observability/logger'
import type { Metrics } from '../observability/metrics'
import { addressKey, clientIp } from './client-ip'
import { baseHeaders, type NativeHeaders } from './base-headers'
import type { EdgeStep } from './edge'

export type SocketAddress = (c: Context) => string | undefined

/**
 * Gives every request a fresh `req_…` id (never one the client sent), a request logger, the
 * client address, and one access-log line when it ends. The `X-Request-Id` header is set before
 * the handler runs (base-headers.ts), so the response is built with it instead of being copied.
 */
export function requestContext(options: {
  logger: Logger
  clock: Clock
  trustProxy: TrustProxy
  socketAddress: SocketAddress
  /**
   * The bridge is served over HTTPS: its PUBLIC_URL says so, whatever the incoming request looks
   * like behind a TLS-terminating proxy (so the cookie prefix and HSTS never downgrade).
   */
  https: boolean
  /** The runtime serves HTTP/1.1 itself (Node), so body framing can be read from the headers. */
  http1: boolean
  metrics: Metrics
  audit: AuditTrail
  /** The runtime's own response, where headers are set most cheaply (Node). */
  nativeHeaders?: NativeHeaders
}): EdgeStep {
  return {
    before(c) {
      const started = options.clock.now()
      const requestId = newId('req', started)
      const ip = clientIp(c.req.raw.headers, options.socketAddress(c), options.trustProxy)
      c.set('requestId', requestId)
      c.set('clientIp', ip)
      c.set('clientKey', addressKey(ip))
      c.set('https', options.https)
      c.set('http1', options.http1)
      const accessLog: Record<string, unknown> = {}
      c.set('accessLog', accessLog)
      const log = options.logger.child({ requestId })
      c.set('log', log)
      c.set('audit', options.audit)
      const base = baseHeaders(c, options.nativeHeaders)
      c.set('baseHeaders', base)
      base.set('X-Request-Id', requestId)
      c.set('startedAt', started)
      return undefined
    },
    after(c) {
      const requestId = c.get('requestId')
      const base = c.get('baseHeaders')
      // A handler that returned its own Response (errors, pages) didn't get the prepared header.
      if (!base.native && !c.res.headers.has('X-Request-Id'))
        c.res.headers.set('X-Request-Id', requestId)
      const status = c.res.status
      // The route pattern, not the raw path: a path can carry ids or misplaced secrets.
      const route = c.get('unmatched') ? '(unmatched)' : routePath(c, -1)
      const durationMs = options.clock.now() - c.get('startedAt')
      options.metrics.request(route, c.req.method, status, durationMs / 1000)
      c.get('log').info('http.request', {
        method: c.req.method,
        route,
        status,
        durationMs,
        ip: c.get('clientIp'),
        ...c.get('accessLog'),
      })
    },
  }
}

/** Where this request's events happen, for the audit trail and the services that record them. */
export function originOf(c: Context<AppEnv>): EventOrigin {
  return { log: c.get('log'), requestId: c.get('requestId'), ip: c.get('clientIp') }
}
