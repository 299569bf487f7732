/**
 * The storage contract the engine needs. Every implementation (memory, Redis, Durable Object)
 * passes the same conformance suite in test/store/. Operations that must be atomic are single
 * methods here, so each backend can make them atomic its own way (a Lua script in Redis).
 * All times are Unix milliseconds from the caller's clock.
 */
export interface Store {
  readonly kind: string
  /** Resolves when the store answers; rejects (or times out) when it doesn't. */
  ping(): Promise<void>
  close(): Promise<void>
  readonly sessions: SessionStore
  readonly limits: LimitStore
  readonly kv: KvStore
  readonly notBefore: NotBeforeStore
}

/**
 * What a session remembers about its user, as JSON. The store never looks inside; the sessions
 * module writes it and parses it back.
 */
export type StoredPrincipal = Readonly<Record<string, unknown>>

export type SessionRecord = {
  id: string
  userKey: string
  /** SHA-256 (base64url) of the current secret. The secret itself is never stored. */
  secretHash: string
  principal: StoredPrincipal
  createdAt: number
  lastActiveAt: number
  idleExpiresAt: number
  absoluteExpiresAt: number
  userAgent: string | undefined
  ip: string | undefined
}

export type AuthenticatedSession = {
  record: SessionRecord
  /** The secret used was a previous one (within its grace unless `superseded`). */
  viaPreviousSecret: boolean
  /**
   * The secret was replaced and its grace is over: a replay of an old secret (stolen, or a
   * client that lost track). The idle expiry was not touched; the caller revokes the session.
   */
  superseded: boolean
}

export interface SessionStore {
  /** Stores a new session, then evicts the user's oldest sessions beyond `maxPerUser`. */
  create(record: SessionRecord, options: { maxPerUser: number }): Promise<{ evicted: string[] }>
  /**
   * Finds the session of a secret hash and, in the same atomic step, slides its idle expiry
   * (never past the absolute one), unless the session was touched less than `touchAfterMs` ago
   * (then nothing is written: busy sessions cost reads only). Expired or unknown: null. A secret replaced by `rotate` is
   * still recognised until the session ends: inside its grace it authenticates, after it it is
   * reported as `superseded`.
   */
  authenticate(
    secretHash: string,
    now: number,
    idleMs: number,
    touchAfterMs?: number,
  ): Promise<AuthenticatedSession | null>
  /**
   * Optional, where one round trip can do both: `authenticate` and the sliding count of
   * `counter` (as `limits.peek` counts it), with the same answers as calling the two (Redis on
   * one node: one script). The lockout count of the caller's address rides along with a session
   * lookup this way.
   */
  authenticateCounting?(
    secretHash: string,
    now: number,
    idleMs: number,
    touchAfterMs: number,
    counter: { key: string; windowMs: number },
  ): Promise<{ session: AuthenticatedSession | null; count: number }>
  /**
   * Replaces the secret when `currentHash` is still the current one; the old secret keeps
   * working for `graceMs`. Null when the session is gone or was already rotated.
   */
  rotate(
    id: string,
    currentHash: string,
    nextHash: string,
    now: number,
    graceMs: number,
  ): Promise<SessionRecord | null>
  get(id: string, now: number): Promise<SessionRecord | null>
  /** The user's live sessions, oldest first. */
  list(userKey: string, now: number): Promise<SessionRecord[]>
  /** Deletes a session and every secret that leads to it. Returns the deleted record. */
  revoke(id: string): Promise<SessionRecord | null>
  /** Deletes all of a user's sessions; returns how many there were. */
  revokeUser(userKey: string): Promise<number>
}

export type BucketResult = { allowed: boolean; remaining: number; retryAfterMs: number }

export interface LimitStore {
  /**
   * Counts one event in a sliding window (two fixed windows, the earlier one weighted by its
   * overlap) and returns the count including this one.
   */
  hit(key: string, windowMs: number, now: number): Promise<number>
  /** The current sliding-window count without adding to it. */
  peek(key: string, windowMs: number, now: number): Promise<number>
  /**
   * Token bucket: takes `cost` tokens if there are enough. The bucket holds `capacity` tokens and
   * refills `capacity` tokens every `intervalMs`.
   */
  take(
    key: string,
    capacity: number,
    intervalMs: number,
    now: number,
    cost?: number,
  ): Promise<BucketResult>
}

export interface KvStore {
  get(key: string): Promise<string | null>
  /** Sets the value when the stored one equals `expected` (null: absent). Returns success. */
  compareAndSet(key: string, expected: string | null, value: string): Promise<boolean>
}

/**
 * "Not before" records: credentials of a user (scope `''`), or of one of the user's upstream
 * sessions (scope `sid:<id>`), issued before a time are void. All of a user's records live with
 * the user's sessions (one shard), so one call reads them all.
 */
export interface NotBeforeStore {
  /** Keeps the later of the stored time and `at` for `ttlMs` from `now`. */
  raise(userKey: string, scope: string, at: number, ttlMs: number, now: number): Promise<void>
  /** The latest live record among `scopes` of the user; 0 when there is none. */
  latest(userKey: string, scopes: readonly string[], now: number): Promise<number>
}

/** Raised by a store that can't be reached. The HTTP layer answers 503 store_unavailable. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreUnavailableError'
  }
}
