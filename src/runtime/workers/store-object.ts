import { DurableObject } from 'cloudflare:workers'
import { SqlStore } from '../../store/sql-store'

const PURGE_EVERY_MS = 10 * 60_000

type Args<K extends keyof SqlStore> = SqlStore[K] extends (...args: infer A) => unknown ? A : never

/**
 * The Workers glue of the SQL store: one SQLite-backed Durable Object whose RPC methods are the
 * store's operations, and whose alarm purges expired rows.
 */
export class StoreObject extends DurableObject {
  private readonly store: SqlStore

  constructor(ctx: ConstructorParameters<typeof DurableObject>[0], env: unknown) {
    super(ctx, env)
    this.store = new SqlStore(ctx.storage.sql)
    void ctx.blockConcurrencyWhile(async () => {
      if ((await ctx.storage.getAlarm()) === null)
        await ctx.storage.setAlarm(Date.now() + PURGE_EVERY_MS)
    })
  }

  // RPC exposes prototype methods only, so each operation is a method, not a field.
  ping() {
    return this.store.ping()
  }
  sessionsCreate(...a: Args<'sessionsCreate'>) {
    return this.store.sessionsCreate(...a)
  }
  sessionsAuthenticate(...a: Args<'sessionsAuthenticate'>) {
    return this.store.sessionsAuthenticate(...a)
  }
  sessionsRotate(...a: Args<'sessionsRotate'>) {
    return this.store.sessionsRotate(...a)
  }
  sessionsGet(...a: Args<'sessionsGet'>) {
    return this.store.sessionsGet(...a)
  }
  sessionsList(...a: Args<'sessionsList'>) {
    return this.store.sessionsList(...a)
  }
  sessionsRevoke(...a: Args<'sessionsRevoke'>) {
    return this.store.sessionsRevoke(...a)
  }
  sessionsRevokeUser(...a: Args<'sessionsRevokeUser'>) {
    return this.store.sessionsRevokeUser(...a)
  }
  limitsHit(...a: Args<'limitsHit'>) {
    return this.store.limitsHit(...a)
  }
  limitsPeek(...a: Args<'limitsPeek'>) {
    return this.store.limitsPeek(...a)
  }
  limitsTake(...a: Args<'limitsTake'>) {
    return this.store.limitsTake(...a)
  }
  kvGet(...a: Args<'kvGet'>) {
    return this.store.kvGet(...a)
  }
  kvCompareAndSet(...a: Args<'kvCompareAndSet'>) {
    return this.store.kvCompareAndSet(...a)
  }
  notBeforeRaise(...a: Args<'notBeforeRaise'>) {
    return this.store.notBeforeRaise(...a)
  }
  notBeforeLatest(...a: Args<'notBeforeLatest'>) {
    return this.store.notBeforeLatest(...a)
  }

  /** Purges what has expired, then schedules the next purge. */
  async alarm(): Promise<void> {
    const now = Date.now()
    this.store.purge(now)
    await this.ctx.storage.setAlarm(now + PURGE_EVERY_MS)
  }
}
