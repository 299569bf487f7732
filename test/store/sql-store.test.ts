import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { durableObjectStore, type StoreNamespace } from '../../src/store/durable-object-store'
import { SqlStore, type SqlExecutor } from '../../src/store/sql-store'
import { defineStoreConformance } from './store-conformance'

/** SQLite through better-sqlite3 with the surface of a Durable Object's `ctx.storage.sql`. */
function sqliteExecutor(db: Database.Database): SqlExecutor {
  return {
    exec(query, ...bindings) {
      const statement = db.prepare(query)
      const rows = statement.reader ? statement.all(...bindings) : (statement.run(...bindings), [])
      return { toArray: () => rows as never[] }
    },
  }
}

/**
 * One SqlStore per name, reached the way the Workers runtime reaches a Durable Object: by name,
 * every call answered asynchronously. The SQL and its atomicity are the real ones.
 */
function localNamespace(): {
  namespace: StoreNamespace
  databases: Map<string, Database.Database>
} {
  const databases = new Map<string, Database.Database>()
  const stores = new Map<string, SqlStore>()
  const namespace = {
    idFromName: (name: string) => name,
    get(id: unknown) {
      const name = String(id)
      let store = stores.get(name)
      if (!store) {
        const db = new Database(':memory:')
        databases.set(name, db)
        store = new SqlStore(sqliteExecutor(db))
        stores.set(name, store)
      }
      const target = store
      return new Proxy(target, {
        get:
          (_, method: keyof SqlStore) =>
          async (...args: unknown[]) =>
            (target[method] as (...a: unknown[]) => unknown).apply(target, args),
      })
    },
  } as unknown as StoreNamespace
  return { namespace, databases }
}

// The SQL store that backs the Durable Object, on SQLite in Node: the same conformance suite.
defineStoreConformance('sql (SQLite in Node)', async () =>
  durableObjectStore(localNamespace().namespace, `conformance-${crypto.randomUUID()}`),
)

describe('sql store purge', () => {
  it('removes sliding-window rows of failing addresses once they count for nothing', async () => {
    const { namespace, databases } = localNamespace()
    const store = durableObjectStore(namespace, 'purge')
    const windowMs = 300_000
    const start = Date.UTC(2026, 0, 1)
    for (let i = 0; i < 50; i++) await store.limits.hit(`authfail:198.51.100.${i}`, windowMs, start)
    await store.limits.take('bucket:a', 5, 60_000, start)
    // The windows are spread over the objects of their keys' shards: count and purge them all.
    const dbs = () =>
      [...databases].filter(([name]) => name.startsWith('purge:')).map(([, db]) => db)
    const count = (table: string) =>
      dbs().reduce(
        (sum, db) =>
          sum + (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
        0,
      )
    expect(dbs().length).toBeGreaterThan(10)
    expect(count('windows')).toBe(50)

    const purge = (now: number) => {
      for (const db of dbs()) new SqlStore(sqliteExecutor(db)).purge(now)
    }
    purge(start + windowMs)
    expect(count('windows')).toBe(50) // still counted by the sliding window
    purge(start + 2 * windowMs + 1)
    expect(count('windows')).toBe(0)
    expect(count('buckets')).toBe(0)
    // A window still in use after the purge starts from zero, as an expired one would.
    expect(
      await store.limits.peek('authfail:198.51.100.1', windowMs, start + 2 * windowMs + 1),
    ).toBe(0)
  })

  it('adds the expiry column to a database made before windows expired, and purges its old rows', () => {
    const db = new Database(':memory:')
    db.exec(
      'CREATE TABLE windows (key TEXT PRIMARY KEY, start INTEGER NOT NULL, current INTEGER NOT NULL, previous INTEGER NOT NULL)',
    )
    const old = Date.UTC(2026, 0, 1)
    db.prepare('INSERT INTO windows VALUES (?, ?, ?, ?)').run('authfail:old', old, 3, 0)
    const store = new SqlStore(sqliteExecutor(db))
    store.purge(old + 3 * 86_400_000)
    expect((db.prepare('SELECT COUNT(*) AS n FROM windows').get() as { n: number }).n).toBe(0)
  })
})
