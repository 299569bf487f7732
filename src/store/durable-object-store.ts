import { shardOfSecretHash, shardOfSessionId, userShard } from './shard'
import type { SqlStore } from './sql-store'
import { StoreUnavailableError, type Store } from './types'

/** The stub surface of StoreObject: every method returns a promise over RPC. */
type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never
}
export type StoreNamespace = {
  idFromName(name: string): unknown
  get(id: unknown): Remote<Pick<SqlStore, StoreMethods>>
}
type StoreMethods =
  | 'ping'
  | 'sessionsCreate'
  | 'sessionsAuthenticate'
  | 'sessionsRotate'
  | 'sessionsGet'
  | 'sessionsList'
  | 'sessionsRevoke'
  | 'sessionsRevokeUser'
  | 'limitsHit'
  | 'limitsPeek'
  | 'limitsTake'
  | 'kvGet'
  | 'kvCompareAndSet'
  | 'notBeforeRaise'
  | 'notBeforeLatest'

/**
 * Which StoreObject holds what: a user's sessions in the object of the user's shard (found from
 * the user, a session id or a secret hash alike, see shard.ts), each counter or bucket in the
 * object of its own name's shard, and the key-value entries (the signing keys) in the object
 * named `name` itself, where they always were. No single object is on every request's path.
 */
export function storeObjectNames(name: string) {
  return {
    sessions: (shard: string) => `${name}:s:${shard}`,
    limit: (key: string) => `${name}:l:${userShard(key)}`,
    kv: name,
  }
}

/** The Store contract over StoreObject Durable Objects, sharded, reached by RPC. */
export function durableObjectStore(namespace: StoreNamespace, name = 'bridgekeeper'): Store {
  const names = storeObjectNames(name)
  const object = (objectName: string) => namespace.get(namespace.idFromName(objectName))
  type Stub = ReturnType<typeof object>
  const call = async <T>(objectName: string, operation: (s: Stub) => Promise<T>): Promise<T> => {
    try {
      return await operation(object(objectName))
    } catch (error) {
      throw new StoreUnavailableError('durable object call failed', { cause: error })
    }
  }
  const byUser = (userKey: string) => names.sessions(userShard(userKey))
  const bySession = (id: string) => names.sessions(shardOfSessionId(id))
  return {
    kind: 'durable-object',
    async ping() {
      await call(names.kv, (s) => s.ping())
    },
    async close() {},
    sessions: {
      create: async (record, { maxPerUser }) => ({
        evicted: await call(byUser(record.userKey), (s) => s.sessionsCreate(record, maxPerUser)),
      }),
      authenticate: (hash, now, idleMs, touchAfterMs) =>
        call(names.sessions(shardOfSecretHash(hash)), (s) =>
          s.sessionsAuthenticate(hash, now, idleMs, touchAfterMs),
        ),
      rotate: (id, current, next, now, grace) =>
        call(bySession(id), (s) => s.sessionsRotate(id, current, next, now, grace)),
      get: (id, now) => call(bySession(id), (s) => s.sessionsGet(id, now)),
      list: (userKey, now) => call(byUser(userKey), (s) => s.sessionsList(userKey, now)),
      revoke: (id) => call(bySession(id), (s) => s.sessionsRevoke(id)),
      revokeUser: (userKey) => call(byUser(userKey), (s) => s.sessionsRevokeUser(userKey)),
    },
    limits: {
      hit: (key, windowMs, now) => call(names.limit(key), (s) => s.limitsHit(key, windowMs, now)),
      peek: (key, windowMs, now) => call(names.limit(key), (s) => s.limitsPeek(key, windowMs, now)),
      take: (key, capacity, intervalMs, now, cost = 1) =>
        call(names.limit(key), (s) => s.limitsTake(key, capacity, intervalMs, now, cost)),
    },
    kv: {
      get: (key) => call(names.kv, (s) => s.kvGet(key)),
      compareAndSet: (key, expected, value) =>
        call(names.kv, (s) => s.kvCompareAndSet(key, expected, value)),
    },
    notBefore: {
      raise: (userKey, scope, at, ttlMs, now) =>
        call(byUser(userKey), (s) => s.notBeforeRaise(userKey, scope, at, ttlMs, now)),
      latest: (userKey, scopes, now) =>
        call(byUser(userKey), (s) => s.notBeforeLatest(userKey, [...scopes], now)),
    },
  }
}
