/**
 * The few Workers runtime types this entry uses, declared here instead of loading
 * @cloudflare/workers-types, whose globals would clash with the DOM types of the rest of src/.
 */
declare module 'cloudflare:workers' {
  export interface SqlCursor<T> {
    toArray(): T[]
    one(): T
    readonly rowsWritten: number
  }
  export interface SqlStorage {
    exec<T = Record<string, SqlValue>>(query: string, ...bindings: SqlValue[]): SqlCursor<T>
  }
  export type SqlValue = string | number | null | ArrayBuffer
  export interface DurableObjectStorage {
    readonly sql: SqlStorage
    transactionSync<T>(closure: () => T): T
    setAlarm(scheduledTime: number): Promise<void>
    getAlarm(): Promise<number | null>
  }
  export interface DurableObjectState {
    readonly storage: DurableObjectStorage
    blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>
  }
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState
    protected env: Env
    constructor(ctx: DurableObjectState, env: Env)
  }
  export const exports: { default: { fetch(request: Request): Promise<Response> } }
  export const env: Record<string, unknown>
}
