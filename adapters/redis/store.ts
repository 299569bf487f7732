import { createHash } from 'node:crypto'
import { connectRedis, type RedisClient, type RedisClientOptions } from './client'
import { slidingCount, waitFor, windowStart } from '../../src/store/sliding-window'
import { shardOfSecretHash, shardOfSessionId, userShard } from '../../src/store/shard'
import { redisKeys } from './keys'
import {
  StoreUnavailableError,
  type AuthenticatedSession,
  type StoredPrincipal,
  type SessionRecord,
  type Store,
} from '../../src/store/types'
import * as scripts from './scripts'

/** Sessions whose parsed data is kept (about 1 KB each). */
const PARSED_SESSIONS = 2000

const SCRIPT_NAMES = new Map(Object.entries(scripts).map(([name, text]) => [text, name]))

export type RedisStoreOptions = RedisClientOptions & { keyPrefix: string }

/** The immutable part of a session, stored as one JSON field. */
type SessionData = Pick<SessionRecord, 'id' | 'userKey' | 'createdAt' | 'userAgent' | 'ip'> & {
  principal: StoredPrincipal
}

/** The shared store for several bridge instances, on its own connection. */
export function createRedisStore(options: RedisStoreOptions): Store {
  return redisStore(connectRedis(options), options.keyPrefix)
}

/** The store over a client the caller opened; closing the store closes the client. */
export function redisStore(
  client: RedisClient,
  keyPrefix: string,
  onScriptError?: (script: string, message: string) => void,
): Store {
  const keys = redisKeys(keyPrefix)
  const shas = new Map<string, string>()

  async function run(
    script: string,
    keyList: string[],
    args: (string | number)[],
  ): Promise<unknown> {
    let sha = shas.get(script)
    if (!sha) {
      sha = createHash('sha1').update(script).digest('hex')
      shas.set(script, sha)
    }
    try {
      return await client.evalsha(sha, keyList.length, ...keyList, ...args)
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        try {
          return await client.eval(script, keyList.length, ...keyList, ...args)
        } catch (retried) {
          throw failed(script, retried)
        }
      }
      throw failed(script, error)
    }
  }

  /**
   * A script's error becomes 503 for the client; when Redis itself answered with an error (not
   * a lost connection), its message is reported so the cause reaches the logs. Redis error
   * messages name the script line, never the arguments (hashes, session data).
   */
  function failed(script: string, error: unknown): StoreUnavailableError {
    const message = error instanceof Error ? error.message : String(error)
    if (/^[A-Z]{2,}[A-Z_]*\b/.test(message))
      onScriptError?.(SCRIPT_NAMES.get(script) ?? 'script', message.slice(0, 500))
    return unavailable(error)
  }

  async function guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation()
    } catch (error) {
      throw unavailable(error)
    }
  }

  // A session's stored JSON changes only when its principal does, yet it is read on every
  // request: parsed once, the same object comes back (and the principal decoded from it is
  // cached by identity, stored-principal.ts). Bounded: the oldest entries go first.
  const parsedData = new Map<string, SessionData>()
  const parse = (data: string): SessionData => {
    let parsed = parsedData.get(data)
    if (parsed) return parsed
    parsed = JSON.parse(data) as SessionData
    if (parsedData.size >= PARSED_SESSIONS) parsedData.delete(parsedData.keys().next().value ?? '')
    parsedData.set(data, parsed)
    return parsed
  }
  const toRecord = (fields: (string | null)[], current?: string): SessionRecord | null => {
    const [data, secretHash, lastActiveAt, idleExpiresAt, absoluteExpiresAt] = fields
    if (!data || !secretHash) return null
    const parsed = parse(data)
    // JSON drops undefined members; restore them so every store returns the same shape.
    return {
      ...parsed,
      userAgent: parsed.userAgent ?? undefined,
      ip: parsed.ip ?? undefined,
      secretHash: current ?? secretHash,
      lastActiveAt: Number(lastActiveAt),
      idleExpiresAt: Number(idleExpiresAt),
      absoluteExpiresAt: Number(absoluteExpiresAt),
    }
  }

  const READ_FIELDS = [
    'data',
    'secretHash',
    'lastActiveAt',
    'idleExpiresAt',
    'absoluteExpiresAt',
  ] as const
  const live = (record: SessionRecord | null, now: number) =>
    record && now < Math.min(record.idleExpiresAt, record.absoluteExpiresAt) ? record : null

  const authenticateArgs = (
    secretHash: string,
    now: number,
    idleMs: number,
    touchAfterMs: number,
  ) => {
    const prefixes = keys.shard(shardOfSecretHash(secretHash))
    return [now, idleMs, prefixes.session, secretHash, prefixes.secret, prefixes.user, touchAfterMs]
  }
  /** AUTHENTICATE's reply as the contract's answer. */
  const authenticated = (reply: unknown): AuthenticatedSession | null => {
    if (!Array.isArray(reply)) return null
    const fields = reply.map((value) => (value === null ? null : String(value)))
    const record = toRecord(fields)
    return record
      ? { record, viaPreviousSecret: fields[5] !== '1', superseded: fields[6] === '1' }
      : null
  }

  return {
    kind: 'redis',
    async ping() {
      await guard(() => client.ping())
    },
    async close() {
      client.disconnect()
    },

    sessions: {
      async create(record, { maxPerUser }) {
        const data: SessionData = {
          id: record.id,
          userKey: record.userKey,
          createdAt: record.createdAt,
          userAgent: record.userAgent,
          ip: record.ip,
          principal: record.principal,
        }
        const prefixes = keys.shard(userShard(record.userKey))
        const evicted = await run(
          scripts.CREATE,
          [
            keys.session(record.id),
            keys.secret(record.secretHash),
            keys.userSessions(record.userKey),
          ],
          [
            record.id,
            JSON.stringify(data),
            record.secretHash,
            record.lastActiveAt,
            record.idleExpiresAt,
            record.absoluteExpiresAt,
            record.createdAt,
            maxPerUser,
            prefixes.session,
            prefixes.secret,
            prefixes.user,
            record.userKey,
          ],
        )
        return { evicted: Array.isArray(evicted) ? evicted.map(String) : [] }
      },

      async authenticate(
        secretHash,
        now,
        idleMs,
        touchAfterMs = 0,
      ): Promise<AuthenticatedSession | null> {
        const reply = await run(
          scripts.AUTHENTICATE,
          [keys.secret(secretHash)],
          authenticateArgs(secretHash, now, idleMs, touchAfterMs),
        )
        return authenticated(reply)
      },

      // A cluster keeps the counter in another slot than the session: no shared script there.
      ...(client.isCluster
        ? {}
        : {
            async authenticateCounting(
              secretHash: string,
              now: number,
              idleMs: number,
              touchAfterMs: number,
              counter: { key: string; windowMs: number },
            ) {
              const start = windowStart(now, counter.windowMs)
              const reply = await run(
                scripts.AUTHENTICATE_COUNTING,
                [
                  keys.secret(secretHash),
                  keys.limit(counter.key, start),
                  keys.limit(counter.key, start - counter.windowMs),
                ],
                authenticateArgs(secretHash, now, idleMs, touchAfterMs),
              )
              const [session, current, previous] = Array.isArray(reply) ? (reply as unknown[]) : []
              return {
                session: authenticated(session),
                count: slidingCount(
                  now,
                  counter.windowMs,
                  Number(current ?? 0),
                  Number(previous ?? 0),
                ),
              }
            },
          }),

      async rotate(id, currentHash, nextHash, now, graceMs) {
        const reply = await run(
          scripts.ROTATE,
          [keys.session(id), keys.secret(currentHash), keys.secret(nextHash)],
          [id, currentHash, nextHash, now, graceMs, keys.shard(shardOfSessionId(id)).secret],
        )
        if (!Array.isArray(reply)) return null
        const [data, secret, lastActiveAt, idle, absolute] = reply.map((v) =>
          v === null ? null : String(v),
        )
        return toRecord([
          data ?? null,
          secret ?? null,
          lastActiveAt ?? null,
          idle ?? null,
          absolute ?? null,
        ])
      },

      async get(id, now) {
        const fields = await guard(() => client.hmget(keys.session(id), ...READ_FIELDS))
        return live(toRecord(fields), now)
      },

      async list(userKey, now) {
        const ids = await guard(() => client.zrange(keys.userSessions(userKey), '0', '-1'))
        if (ids.length === 0) return []
        const pipeline = client.pipeline()
        for (const id of ids) pipeline.hmget(keys.session(id), ...READ_FIELDS)
        const replies = await guard(() => pipeline.exec())
        const records: SessionRecord[] = []
        for (const [error, fields] of replies ?? []) {
          if (error) throw unavailable(error)
          const record = live(toRecord(fields as (string | null)[]), now)
          if (record) records.push(record)
        }
        return records.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      },

      async revoke(id) {
        const prefixes = keys.shard(shardOfSessionId(id))
        const reply = await run(
          scripts.REVOKE,
          [keys.session(id)],
          [id, prefixes.secret, prefixes.user],
        )
        if (!Array.isArray(reply)) return null
        return toRecord(reply.map((v) => (v === null ? null : String(v))))
      },

      async revokeUser(userKey) {
        const prefixes = keys.shard(userShard(userKey))
        const count = await run(
          scripts.REVOKE_USER,
          [keys.userSessions(userKey)],
          [prefixes.session, prefixes.secret, prefixes.user],
        )
        return Number(count)
      },
    },

    limits: {
      async hit(key, windowMs, now) {
        const start = windowStart(now, windowMs)
        const reply = await run(
          scripts.HIT,
          [keys.limit(key, start), keys.limit(key, start - windowMs)],
          [windowMs],
        )
        const [current, previous] = Array.isArray(reply) ? reply.map(Number) : [0, 0]
        return slidingCount(now, windowMs, current ?? 0, previous ?? 0)
      },
      async peek(key, windowMs, now) {
        const start = windowStart(now, windowMs)
        const [current, previous] = await guard(() =>
          client.mget(keys.limit(key, start), keys.limit(key, start - windowMs)),
        )
        return slidingCount(now, windowMs, Number(current ?? 0), Number(previous ?? 0))
      },
      async take(key, capacity, intervalMs, now, cost = 1) {
        const reply = await run(scripts.TAKE, [keys.limit(key)], [capacity, intervalMs, now, cost])
        const [allowed, tokens] = Array.isArray(reply) ? (reply as unknown[]) : [0, 0]
        const left = Number(tokens)
        const ok = Number(allowed) === 1
        return {
          allowed: ok,
          remaining: Math.floor(left),
          retryAfterMs: ok ? 0 : waitFor(left, cost, capacity, intervalMs),
        }
      },
    },

    notBefore: {
      async raise(userKey, scope, at, ttlMs) {
        await run(scripts.RAISE_NOT_BEFORE, [keys.notBefore(userKey, scope)], [at, ttlMs])
      },
      async latest(userKey, scopes) {
        if (scopes.length === 0) return 0
        // One shard per user: the keys share a hash tag, so MGET runs on one cluster slot.
        const values = await guard(() =>
          client.mget(...scopes.map((scope) => keys.notBefore(userKey, scope))),
        )
        return Math.max(0, ...values.map((value) => Number(value ?? 0)))
      },
    },

    kv: {
      async get(key) {
        return guard(() => client.get(keys.kv(key)))
      },
      async compareAndSet(key, expected, value) {
        const reply = await run(
          scripts.COMPARE_AND_SET,
          [keys.kv(key)],
          [expected ?? '', value, expected === null ? '1' : '0'],
        )
        return Number(reply) === 1
      },
    },
  }
}

function unavailable(error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error
  return new StoreUnavailableError('redis command failed', { cause: error })
}
