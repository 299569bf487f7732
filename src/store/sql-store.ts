import { refill, slidingCount, waitFor, windowStart } from './sliding-window'
import type { AuthenticatedSession, BucketResult, SessionRecord } from './types'

/** The SQL surface the store needs: a Durable Object's `ctx.storage.sql` has it. */
export interface SqlExecutor {
  exec<T = Record<string, SqlValue>>(query: string, ...bindings: SqlValue[]): { toArray(): T[] }
}
type SqlValue = string | number | null | ArrayBuffer

/** The longest sliding window the configuration allows (a day): rows from before expiry was stored. */
const MAX_WINDOW_MS = 86_400_000

type SessionRow = {
  id: string
  user_key: string
  secret_hash: string
  prev_hash: string | null
  prev_valid_until: number | null
  data: string
  last_active: number
  idle_exp: number
  abs_exp: number
}

/**
 * The store's operations over one SQLite database that runs one call at a time (a Durable
 * Object's storage): each method is atomic by construction, like the Redis store's Lua scripts.
 * Expired rows are refused on read and removed by `purge`.
 */
export class SqlStore {
  constructor(private readonly sql: SqlExecutor) {
    sql.exec(`CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, user_key TEXT NOT NULL, secret_hash TEXT NOT NULL,
      prev_hash TEXT, prev_valid_until INTEGER, data TEXT NOT NULL, created_at INTEGER NOT NULL, last_active INTEGER NOT NULL,
      idle_exp INTEGER NOT NULL, abs_exp INTEGER NOT NULL)`)
    sql.exec('CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_key, created_at)')
    sql.exec(
      'CREATE TABLE IF NOT EXISTS secrets (hash TEXT PRIMARY KEY, session_id TEXT NOT NULL, expires_at INTEGER NOT NULL)',
    )
    sql.exec(
      'CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, start INTEGER NOT NULL, current INTEGER NOT NULL, previous INTEGER NOT NULL, expires_at INTEGER)',
    )
    try {
      // Objects created before windows expired: add the column (fails harmlessly when present).
      sql.exec('ALTER TABLE windows ADD COLUMN expires_at INTEGER')
    } catch {
      // the column exists
    }
    sql.exec(
      'CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)',
    )
    sql.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    sql.exec(
      'CREATE TABLE IF NOT EXISTS not_before (user_key TEXT NOT NULL, scope TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (user_key, scope))',
    )
  }

  ping(): string {
    return 'pong'
  }

  private record(row: SessionRow): SessionRecord {
    const data = JSON.parse(row.data) as Omit<
      SessionRecord,
      'secretHash' | 'lastActiveAt' | 'idleExpiresAt' | 'absoluteExpiresAt'
    >
    return {
      ...data,
      userAgent: data.userAgent ?? undefined,
      ip: data.ip ?? undefined,
      secretHash: row.secret_hash,
      lastActiveAt: row.last_active,
      idleExpiresAt: row.idle_exp,
      absoluteExpiresAt: row.abs_exp,
    }
  }

  private row(id: string): SessionRow | undefined {
    return this.sql.exec<SessionRow>('SELECT * FROM sessions WHERE id = ?', id).toArray()[0]
  }

  private drop(id: string): SessionRow | undefined {
    const row = this.row(id)
    if (!row) return undefined
    this.sql.exec('DELETE FROM secrets WHERE session_id = ?', id)
    this.sql.exec('DELETE FROM sessions WHERE id = ?', id)
    return row
  }

  private live(id: string, now: number): SessionRow | undefined {
    const row = this.row(id)
    if (!row) return undefined
    if (now >= Math.min(row.idle_exp, row.abs_exp)) {
      this.drop(id)
      return undefined
    }
    return row
  }

  sessionsCreate(record: SessionRecord, maxPerUser: number): string[] {
    const { secretHash, lastActiveAt, idleExpiresAt, absoluteExpiresAt, ...data } = record
    const expiresAt = Math.min(idleExpiresAt, absoluteExpiresAt)
    this.sql.exec(
      'INSERT INTO sessions (id, user_key, secret_hash, data, created_at, last_active, idle_exp, abs_exp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      record.id,
      record.userKey,
      secretHash,
      JSON.stringify(data),
      record.createdAt,
      lastActiveAt,
      idleExpiresAt,
      absoluteExpiresAt,
    )
    this.sql.exec(
      'INSERT INTO secrets (hash, session_id, expires_at) VALUES (?, ?, ?)',
      secretHash,
      record.id,
      expiresAt,
    )
    const alive = this.sql
      .exec<{ id: string }>(
        'SELECT id FROM sessions WHERE user_key = ? AND MIN(idle_exp, abs_exp) > ? ORDER BY created_at, id',
        record.userKey,
        record.createdAt,
      )
      .toArray()
      .map((r) => r.id)
    const evicted = alive.slice(0, Math.max(0, alive.length - maxPerUser))
    for (const id of evicted) this.drop(id)
    return evicted
  }

  sessionsAuthenticate(
    hash: string,
    now: number,
    idleMs: number,
    touchAfterMs = 0,
  ): AuthenticatedSession | null {
    const secret = this.sql
      .exec<{ session_id: string; expires_at: number }>(
        'SELECT session_id, expires_at FROM secrets WHERE hash = ?',
        hash,
      )
      .toArray()[0]
    if (!secret) return null
    if (now >= secret.expires_at) {
      this.sql.exec('DELETE FROM secrets WHERE hash = ?', hash)
      return null
    }
    const row = this.live(secret.session_id, now)
    if (!row) return null
    const current = row.secret_hash === hash
    const inGrace = row.prev_hash === hash && now < (row.prev_valid_until ?? 0)
    // A superseded secret after its grace: reported (the caller revokes), never refreshed.
    if (!current && !inGrace)
      return { record: this.record(row), viaPreviousSecret: true, superseded: true }
    if (now - row.last_active < touchAfterMs)
      return { record: this.record(row), viaPreviousSecret: !current, superseded: false }
    const idle = Math.min(now + idleMs, row.abs_exp)
    this.sql.exec(
      'UPDATE sessions SET last_active = ?, idle_exp = ? WHERE id = ?',
      now,
      idle,
      row.id,
    )
    if (current) this.sql.exec('UPDATE secrets SET expires_at = ? WHERE hash = ?', idle, hash)
    return {
      record: this.record({ ...row, last_active: now, idle_exp: idle }),
      viaPreviousSecret: !current,
      superseded: false,
    }
  }

  sessionsRotate(
    id: string,
    currentHash: string,
    nextHash: string,
    now: number,
    graceMs: number,
  ): SessionRecord | null {
    const row = this.live(id, now)
    if (!row || row.secret_hash !== currentHash) return null
    const expiresAt = Math.min(row.idle_exp, row.abs_exp)
    const graceUntil = Math.min(now + graceMs, expiresAt)
    this.sql.exec(
      'UPDATE sessions SET secret_hash = ?, prev_hash = ?, prev_valid_until = ? WHERE id = ?',
      nextHash,
      currentHash,
      graceUntil,
      id,
    )
    this.sql.exec(
      'INSERT INTO secrets (hash, session_id, expires_at) VALUES (?, ?, ?)',
      nextHash,
      id,
      expiresAt,
    )
    // The old secret stays known until the session ends, so a late replay is recognised.
    this.sql.exec('UPDATE secrets SET expires_at = ? WHERE hash = ?', row.abs_exp, currentHash)
    return this.record({ ...row, secret_hash: nextHash })
  }

  sessionsGet(id: string, now: number): SessionRecord | null {
    const row = this.live(id, now)
    return row ? this.record(row) : null
  }

  sessionsList(userKey: string, now: number): SessionRecord[] {
    return this.sql
      .exec<SessionRow>(
        'SELECT * FROM sessions WHERE user_key = ? AND MIN(idle_exp, abs_exp) > ? ORDER BY created_at, id',
        userKey,
        now,
      )
      .toArray()
      .map((row) => this.record(row))
  }

  sessionsRevoke(id: string): SessionRecord | null {
    const row = this.drop(id)
    return row ? this.record(row) : null
  }

  sessionsRevokeUser(userKey: string): number {
    const ids = this.sql
      .exec<{ id: string }>('SELECT id FROM sessions WHERE user_key = ?', userKey)
      .toArray()
    for (const { id } of ids) this.drop(id)
    return ids.length
  }

  private window(key: string, windowMs: number, now: number) {
    const start = windowStart(now, windowMs)
    const row = this.sql
      .exec<{ start: number; current: number; previous: number }>(
        'SELECT start, current, previous FROM windows WHERE key = ?',
        key,
      )
      .toArray()[0]
    if (!row) return { start, current: 0, previous: 0 }
    if (row.start === start) return row
    if (row.start === start - windowMs) return { start, current: 0, previous: row.current }
    return { start, current: 0, previous: 0 }
  }

  limitsHit(key: string, windowMs: number, now: number): number {
    const w = this.window(key, windowMs, now)
    w.current += 1
    this.sql.exec(
      'INSERT OR REPLACE INTO windows (key, start, current, previous, expires_at) VALUES (?, ?, ?, ?, ?)',
      key,
      w.start,
      w.current,
      w.previous,
      // After two windows a row counts for nothing: purge it then.
      w.start + 2 * windowMs,
    )
    return slidingCount(now, windowMs, w.current, w.previous)
  }

  limitsPeek(key: string, windowMs: number, now: number): number {
    const w = this.window(key, windowMs, now)
    return slidingCount(now, windowMs, w.current, w.previous)
  }

  limitsTake(
    key: string,
    capacity: number,
    intervalMs: number,
    now: number,
    cost: number,
  ): BucketResult {
    const row = this.sql
      .exec<{ tokens: number; updated_at: number }>(
        'SELECT tokens, updated_at FROM buckets WHERE key = ?',
        key,
      )
      .toArray()[0]
    const tokens = row ? refill(row.tokens, now - row.updated_at, capacity, intervalMs) : capacity
    const allowed = tokens >= cost
    const left = allowed ? tokens - cost : tokens
    this.sql.exec(
      'INSERT OR REPLACE INTO buckets (key, tokens, updated_at, expires_at) VALUES (?, ?, ?, ?)',
      key,
      left,
      Math.max(now, row?.updated_at ?? now),
      now + intervalMs * 2,
    )
    return {
      allowed,
      remaining: Math.floor(left),
      retryAfterMs: allowed ? 0 : waitFor(tokens, cost, capacity, intervalMs),
    }
  }

  kvGet(key: string): string | null {
    return (
      this.sql.exec<{ value: string }>('SELECT value FROM kv WHERE key = ?', key).toArray()[0]
        ?.value ?? null
    )
  }

  kvCompareAndSet(key: string, expected: string | null, value: string): boolean {
    if (this.kvGet(key) !== expected) return false
    this.sql.exec('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)', key, value)
    return true
  }

  notBeforeRaise(userKey: string, scope: string, at: number, ttlMs: number, now: number): void {
    const live = this.notBeforeLatest(userKey, [scope], now)
    this.sql.exec(
      'INSERT OR REPLACE INTO not_before (user_key, scope, at, expires_at) VALUES (?, ?, ?, ?)',
      userKey,
      scope,
      Math.max(live, at),
      now + ttlMs,
    )
  }

  notBeforeLatest(userKey: string, scopes: readonly string[], now: number): number {
    let latest = 0
    for (const scope of scopes) {
      const row = this.sql
        .exec<{ at: number }>(
          'SELECT at FROM not_before WHERE user_key = ? AND scope = ? AND expires_at > ?',
          userKey,
          scope,
          now,
        )
        .toArray()[0]
      if (row) latest = Math.max(latest, row.at)
    }
    return latest
  }

  /** Deletes what has expired. The runtime's glue calls it on a schedule (a Durable Object alarm). */
  purge(now: number): void {
    this.sql.exec('DELETE FROM secrets WHERE expires_at <= ?', now)
    this.sql.exec('DELETE FROM sessions WHERE MIN(idle_exp, abs_exp) <= ?', now)
    this.sql.exec('DELETE FROM buckets WHERE expires_at <= ?', now)
    this.sql.exec('DELETE FROM not_before WHERE expires_at <= ?', now)
    this.sql.exec(
      'DELETE FROM windows WHERE expires_at <= ? OR (expires_at IS NULL AND start <= ?)',
      now,
      now - 2 * MAX_WINDOW_MS,
    )
  }
}
