import type { Metrics } from '../observability/metrics'
import type { Tracing } from '../observability/tracing'
import type { KvStore, LimitStore, NotBeforeStore, SessionStore, Store } from './types'

type AsyncMethods<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never
}[keyof T]

const SESSION_CALLS = [
  'create',
  'authenticate',
  'rotate',
  'get',
  'list',
  'revoke',
  'revokeUser',
  'authenticateCounting', // optional: timed where the store has it
] as const satisfies readonly (AsyncMethods<SessionStore> | 'authenticateCounting')[]
const LIMIT_CALLS = ['hit', 'peek', 'take'] as const satisfies readonly AsyncMethods<LimitStore>[]
const KV_CALLS = ['get', 'compareAndSet'] as const satisfies readonly AsyncMethods<KvStore>[]
const NOT_BEFORE_CALLS = [
  'raise',
  'latest',
] as const satisfies readonly AsyncMethods<NotBeforeStore>[]

/**
 * The same store, with every call timed (monotonic clock) and counted by operation and outcome,
 * and in a span when tracing is on. Used only when metrics or tracing are on, so a bridge
 * without them pays nothing.
 */
export function instrumentedStore(store: Store, metrics: Metrics, tracing?: Tracing): Store {
  function timed<T extends object>(
    group: string,
    target: T,
    names: readonly (keyof T & string)[],
  ): T {
    const out = { ...target }
    for (const name of names) {
      if (typeof target[name] !== 'function') continue
      const method = target[name] as (...args: unknown[]) => Promise<unknown>
      const operation = `${group}.${name}`
      const measured = async (...args: unknown[]) => {
        const started = performance.now()
        try {
          const result = await method.apply(target, args)
          metrics.storeCall(operation, 'ok', (performance.now() - started) / 1000)
          return result
        } catch (error) {
          metrics.storeCall(operation, 'error', (performance.now() - started) / 1000)
          throw error
        }
      }
      const attributes = { 'bridgekeeper.store': store.kind }
      ;(out as Record<string, unknown>)[name] = tracing
        ? (...args: unknown[]) =>
            tracing.span(`bridgekeeper.store.${operation}`, attributes, () => measured(...args))
        : measured
    }
    return out
  }
  return {
    kind: store.kind,
    ping: () => store.ping(),
    close: () => store.close(),
    sessions: timed('sessions', store.sessions, SESSION_CALLS),
    limits: timed('limits', store.limits, LIMIT_CALLS),
    kv: timed('kv', store.kv, KV_CALLS),
    notBefore: timed('notBefore', store.notBefore, NOT_BEFORE_CALLS),
  }
}
