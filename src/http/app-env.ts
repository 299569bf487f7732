import type { AuditTrail } from '../audit/audit-trail'
import type { Logger } from '../observability/logger'
import type { BaseHeaders } from './base-headers'

/**
 * The HTTP layer's per-request values, read with `c.get('…')` (`c.var` copies them all on every read). Modules above it declare their own
 * variables (identity: `principal`, `credential`; sessions: `session`) by augmenting Hono's
 * ContextVariableMap, so this file imports nothing from them.
 */
export type AppEnv = {
  Variables: {
    requestId: string
    /** When the request arrived (the clock's milliseconds), for its access-log line. */
    startedAt: number
    log: Logger
    /** The audit trail (one shared object); record with `audit.record(originOf(c), …)`. */
    audit: AuditTrail
    clientIp: string
    /** What per-address limits count: the IPv4 address, or the IPv6 /64 (see addressKey). */
    clientKey: string
    https: boolean
    /** The client spoke HTTP/1.1 to this process (Node): no framing header means no body. */
    http1: boolean
    /** Where the headers every response carries are set (see base-headers.ts). */
    baseHeaders: BaseHeaders
    /** No route matched the request (set by the not-found handler). */
    unmatched?: boolean
    /** Fields later stages add to the request's access-log line (who the caller was). */
    accessLog: Record<string, unknown>
  }
}
