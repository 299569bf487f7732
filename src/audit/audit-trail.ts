import type { Clock } from '../clock'
import { newId } from '../ids/prefixed-id'
import type { Logger } from '../observability/logger'
import { redact } from '../observability/redact'

/**
 * Every audit event, by its stable name, with what it means. The names and the fields below are
 * the documented schema (docs/audit.md); a rename is a breaking change.
 */
export const AUDIT_EVENTS = {
  'token.minted': 'A provider token was issued: template, userId, kid, jti, audience, expiresAt',
  'token.refused': 'A mint was refused: template, userId, code',
  'data.created': 'Rows were created: resource, userId, rowIds',
  'data.updated': 'A row was updated: resource, userId, rowId, fields (names only)',
  'data.deleted': 'A row was deleted: resource, userId, rowId',
  'data.refused':
    'A data request was refused by the policy: resource, operation, userId, rowId (when one was named), code',
  'session.created': 'A session was created: userId, sessionId, transport (cookie, bearer, admin)',
  'session.revoked':
    'Sessions were revoked: userId, sessionId (one) or count (all of a user), by (user, admin, cap, reuse, identity_provider)',
  'key.rotated': 'A signing-key rotation was started: by (admin), keys (kid and state)',
  'admin.call': 'An admin API call: method, route, status',
} as const

export type AuditEventName = keyof typeof AUDIT_EVENTS

/**
 * Where an event happened: the request's logger (its request id comes along in every line), the
 * request id and the client address, which every audit event carries.
 */
export type EventOrigin = { log: Logger; requestId?: string; ip?: string }

/** One event as stored and read back: its id and time, the request it came from, its fields. */
export type AuditRecord = {
  id: string
  time: string
  event: AuditEventName
  requestId?: string
  userId?: string
  [field: string]: unknown
}

export type AuditQuery = {
  userId?: string
  /** Unix milliseconds: events at or after this time. */
  since?: number
  /** Continue after this event id (the previous page's last). */
  after?: string
  limit: number
}

/** Where events are kept for reading back (Node: a Redis Stream, AUDIT_STREAM). */
export interface AuditSink {
  /** Where, for the start-up banner. */
  describe: string
  append(record: AuditRecord): Promise<void>
  /** Oldest first; `next` continues the reading when there may be more. */
  read(query: AuditQuery): Promise<{ events: AuditRecord[]; next: string | null }>
}

/**
 * The audit trail: every event becomes one log line (`audit: true`, the event's name) and, when a
 * sink is configured, one stored record. The log is the complete record; the sink is a bounded,
 * queryable copy, so a sink failure is logged and never fails the request that caused the event.
 * Fields pass the log's redaction: a secret-named field or a credential-shaped value never
 * reaches either.
 */
export class AuditTrail {
  constructor(
    private readonly clock: Clock,
    readonly sink?: AuditSink,
  ) {}

  record(origin: EventOrigin, event: AuditEventName, fields: Record<string, unknown>): void {
    const { log, requestId, ip } = origin
    const now = this.clock.now()
    const id = newId('evt', now)
    log.info(event, { audit: true, eventId: id, ...fields, ...(ip === undefined ? {} : { ip }) })
    if (!this.sink) return
    const record: AuditRecord = {
      ...redact(fields),
      id,
      time: new Date(now).toISOString(),
      event,
      ...(requestId === undefined ? {} : { requestId }),
      ...(ip === undefined ? {} : { ip }),
    }
    this.sink.append(record).catch((error: unknown) => {
      log.warn('audit.unrecorded', {
        auditEvent: event,
        eventId: id,
        error: error instanceof Error ? error.message : String(error),
      })
    })
  }
}
