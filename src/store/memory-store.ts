import { refill, slidingCount, waitFor, windowStart } from './sliding-window'
import type {
  AuthenticatedSession,
  BucketResult,
  KvStore,
  LimitStore,
  NotBeforeStore,
  SessionRecord,
  SessionStore,
  Store,
} from './types'

/** A superseded secret keeps its entry (for reuse detection) with the end of its grace. */
type SecretEntry = { id: string; expiresAt: number; graceUntil?: number }
type Window = { start: number; current: number; previous: number }
type Bucket = { tokens: number; updatedAt: number }

/**
 * The default store for one process: everything in memory, gone on restart. JavaScript runs one
 * callback at a time, so each method below is atomic as long as it does not await.
 */
export function createMemoryStore(): Store {
  const sessions = new Map<
    string,
    SessionRecord & { previousHash?: string; superseded?: string[] }
  >()
  const secrets = new Map<string, SecretEntry>()
  const users = new Map<string, Set<string>>()
  const windows = new Map<string, Window>()
  const buckets = new Map<string, Bucket>()
  const values = new Map<string, string>()

  const expiry = (record: SessionRecord) => Math.min(record.idleExpiresAt, record.absoluteExpiresAt)

  const remove = (id: string) => {
    const record = sessions.get(id)
    if (!record) return null
    sessions.delete(id)
    secrets.delete(record.secretHash)
    for (const hash of record.superseded ?? []) secrets.delete(hash)
    users.get(record.userKey)?.delete(id)
    const { previousHash: _, superseded: __, ...rest } = record
    return rest
  }

  const live = (id: string, now: number) => {
    const record = sessions.get(id)
    if (!record) return null
    if (now >= expiry(record)) {
      remove(id)
      return null
    }
    return record
  }

  const strip = (
    record: SessionRecord & { previousHash?: string; superseded?: string[] },
  ): SessionRecord => {
    const { previousHash: _, superseded: __, ...rest } = record
    return structuredClone(rest)
  }

  const sessionStore: SessionStore = {
    async create(record, { maxPerUser }) {
      sessions.set(record.id, structuredClone(record))
      secrets.set(record.secretHash, { id: record.id, expiresAt: expiry(record) })
      const ids = users.get(record.userKey) ?? new Set<string>()
      ids.add(record.id)
      users.set(record.userKey, ids)
      const ordered = [...ids]
        .map((id) => sessions.get(id))
        .filter((r): r is SessionRecord => r !== undefined && record.createdAt < expiry(r))
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      const evicted: string[] = []
      for (const old of ordered.slice(0, Math.max(0, ordered.length - maxPerUser))) {
        remove(old.id)
        evicted.push(old.id)
      }
      return { evicted }
    },

    async authenticate(
      secretHash,
      now,
      idleMs,
      touchAfterMs = 0,
    ): Promise<AuthenticatedSession | null> {
      const entry = secrets.get(secretHash)
      if (!entry) return null
      if (now >= entry.expiresAt) {
        secrets.delete(secretHash)
        return null
      }
      const record = live(entry.id, now)
      if (!record) return null
      const current = record.secretHash === secretHash
      const inGrace =
        record.previousHash === secretHash &&
        entry.graceUntil !== undefined &&
        now < entry.graceUntil
      // A superseded secret after its grace: reported (the caller revokes), never refreshed.
      if (!current && !inGrace)
        return { record: strip(record), viaPreviousSecret: true, superseded: true }
      if (now - record.lastActiveAt >= touchAfterMs) {
        record.lastActiveAt = now
        record.idleExpiresAt = Math.min(now + idleMs, record.absoluteExpiresAt)
        if (current) entry.expiresAt = expiry(record)
      }
      return { record: strip(record), viaPreviousSecret: !current, superseded: false }
    },

    async rotate(id, currentHash, nextHash, now, graceMs) {
      const record = live(id, now)
      if (!record || record.secretHash !== currentHash) return null
      record.previousHash = currentHash
      record.superseded = [...(record.superseded ?? []), currentHash]
      record.secretHash = nextHash
      secrets.set(nextHash, { id, expiresAt: expiry(record) })
      // The old secret stays known until the session ends, so a late replay is recognised.
      secrets.set(currentHash, {
        id,
        expiresAt: record.absoluteExpiresAt,
        graceUntil: now + graceMs,
      })
      return strip(record)
    },

    async get(id, now) {
      const record = live(id, now)
      return record ? strip(record) : null
    },

    async list(userKey, now) {
      return [...(users.get(userKey) ?? [])]
        .map((id) => live(id, now))
        .filter((r): r is SessionRecord => r !== null)
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
        .map(strip)
    },

    async revoke(id) {
      return remove(id)
    },

    async revokeUser(userKey) {
      const ids = [...(users.get(userKey) ?? [])]
      let count = 0
      for (const id of ids) if (remove(id)) count++
      users.delete(userKey)
      return count
    },
  }

  const limitStore: LimitStore = {
    async hit(key, windowMs, now) {
      const window = roll(windows.get(key), windowMs, now)
      window.current += 1
      windows.set(key, window)
      prune(windows, (w) => w.start + 2 * windowMs <= now)
      return slidingCount(now, windowMs, window.current, window.previous)
    },
    async peek(key, windowMs, now) {
      const window = roll(windows.get(key), windowMs, now)
      return slidingCount(now, windowMs, window.current, window.previous)
    },
    async take(key, capacity, intervalMs, now, cost = 1): Promise<BucketResult> {
      const previous = buckets.get(key)
      const tokens = previous
        ? refill(previous.tokens, now - previous.updatedAt, capacity, intervalMs)
        : capacity
      const allowed = tokens >= cost
      const left = allowed ? tokens - cost : tokens
      buckets.set(key, { tokens: left, updatedAt: now })
      prune(buckets, (b) => now - b.updatedAt > intervalMs * 2)
      return {
        allowed,
        remaining: Math.floor(left),
        retryAfterMs: allowed ? 0 : waitFor(tokens, cost, capacity, intervalMs),
      }
    },
  }

  const kv: KvStore = {
    async get(key) {
      return values.get(key) ?? null
    },
    async compareAndSet(key, expected, value) {
      if ((values.get(key) ?? null) !== expected) return false
      values.set(key, value)
      return true
    },
  }

  const notBefores = new Map<string, { at: number; expiresAt: number }>()
  const notBefore: NotBeforeStore = {
    async raise(userKey, scope, at, ttlMs, now) {
      const key = `${userKey}\n${scope}`
      const current = notBefores.get(key)
      const live = current && current.expiresAt > now ? current.at : 0
      notBefores.set(key, { at: Math.max(live, at), expiresAt: now + ttlMs })
      prune(notBefores, (record) => record.expiresAt <= now)
    },
    async latest(userKey, scopes, now) {
      let latest = 0
      for (const scope of scopes) {
        const record = notBefores.get(`${userKey}\n${scope}`)
        if (record && record.expiresAt > now) latest = Math.max(latest, record.at)
      }
      return latest
    },
  }

  return {
    kind: 'memory',
    async ping() {},
    async close() {},
    sessions: sessionStore,
    limits: limitStore,
    kv,
    notBefore,
  }
}

function roll(window: Window | undefined, windowMs: number, now: number): Window {
  const start = windowStart(now, windowMs)
  if (!window) return { start, current: 0, previous: 0 }
  if (window.start === start) return window
  if (window.start === start - windowMs) return { start, current: 0, previous: window.current }
  return { start, current: 0, previous: 0 }
}

const PRUNE_ABOVE = 10_000

function prune<T>(map: Map<string, T>, stale: (value: T) => boolean): void {
  if (map.size <= PRUNE_ABOVE) return
  for (const [key, value] of map) if (stale(value)) map.delete(key)
}
