import type { Redis, Cluster } from 'ioredis'
import type { AuditQuery, AuditRecord, AuditSink } from '../../src/audit/audit-trail'

/** Entries read per XRANGE while looking for a user's events. */
const BATCH = 500
/** A read scans at most this many entries, then hands back a cursor to continue. */
const MAX_SCANNED = 20_000
/**
 * Stream ids carry the Redis server's clock, events their bridge's: a read "since" a time starts
 * this much earlier and then filters on the event's own time, so clock skew loses nothing.
 */
const SKEW_MS = 5 * 60_000

/**
 * The audit trail's stored copy: a Redis Stream capped near `maxLength` entries (XADD MAXLEN ~,
 * so trimming is cheap), each entry one JSON event. Stream ids are `<ms>-<seq>`, so reading
 * "since" a time is a range read, and the last id read is the cursor of the next page.
 */
export function redisAuditStream(
  client: Redis | Cluster,
  options: { key: string; maxLength: number },
): AuditSink {
  const { key, maxLength } = options
  return {
    describe: `audit stream ${key} (about ${maxLength} events)`,
    async append(record) {
      await client.xadd(key, 'MAXLEN', '~', String(maxLength), '*', 'e', JSON.stringify(record))
    },
    async read(query: AuditQuery) {
      const events: AuditRecord[] = []
      const since = query.since
      let start =
        query.after !== undefined
          ? `(${query.after}`
          : since !== undefined
            ? `${Math.max(0, since - SKEW_MS)}`
            : '-'
      let scanned = 0
      let last: string | null = null
      while (events.length < query.limit && scanned < MAX_SCANNED) {
        const entries = await client.xrange(key, start, '+', 'COUNT', BATCH)
        for (const [id, fields] of entries) {
          last = id
          scanned++
          const event = parseEntry(fields)
          if (
            event &&
            (query.userId === undefined || event.userId === query.userId) &&
            (since === undefined || Date.parse(event.time) >= since)
          ) {
            events.push({ ...event, cursor: id })
            if (events.length === query.limit) break
          }
        }
        if (entries.length < BATCH && events.length < query.limit) return { events, next: null }
        if (last === null) break
        start = `(${last}`
      }
      return { events, next: last }
    },
  }
}

function parseEntry(fields: string[]): AuditRecord | null {
  const index = fields.indexOf('e')
  if (index < 0 || index + 1 >= fields.length) return null
  try {
    return JSON.parse(fields[index + 1] ?? '') as AuditRecord
  } catch {
    return null
  }
}
