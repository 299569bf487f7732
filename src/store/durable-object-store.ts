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

/** The Store contract over one StoreObject Durable Object, reached by RPC. */
export function durableObjectStore(namespace: StoreNamespace, name = 'bridgekeeper'): Store {
  const stub = () => namespace.get(namespace.idFromName(name))
  const call = async <T>(operation: (s: ReturnType<typeof stub>) => Promise<T>): Promise<T> => {
    try {
      return await operation(stub())
    } catch (error) {
      throw new StoreUnavailableError('durable object call failed', { cause: error })
    }
  }
  return {
    kind: 'durable-object',
    async ping() {
      await call((s) => s.ping())
    },
    async close() {},
    sessions: {
      create: async (record, { maxPerUser }) => ({
        evicted: await call((s) => s.sessionsCreate(record, maxPerUser)),
      }),
      authenticate: (hash, now, idleMs) => call((s) => s.sessionsAuthenticate(hash, now, idleMs)),
      rotate: (id, current, next, now, grace) =>
        call((s) => s.sessionsRotate(id, current, next, now, grace)),
      get: (id, now) => call((s) => s.sessionsGet(id, now)),
      list: (userKey, now) => call((s) => s.sessionsList(userKey, now)),
      revoke: (id) => call((s) => s.sessionsRevoke(id)),
      revokeUser: (userKey) => call((s) => s.sessionsRevokeUser(userKey)),
    },
    limits: {
      hit: (key, windowMs, now) => call((s) => s.limitsHit(key, windowMs, now)),
      peek: (key, windowMs, now) => call((s) => s.limitsPeek(key, windowMs, now)),
      take: (key, capacity, intervalMs, now, cost = 1) =>
        call((s) => s.limitsTake(key, capacity, intervalMs, now, cost)),
    },
    kv: {
      get: (key) => call((s) => s.kvGet(key)),
      compareAndSet: (key, expected, value) => call((s) => s.kvCompareAndSet(key, expected, value)),
    },
  }
}
