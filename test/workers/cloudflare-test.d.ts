declare module 'cloudflare:test' {
  export const env: { DB: unknown; TEST_MIGRATIONS: unknown[] }
  export function applyD1Migrations(db: unknown, migrations: unknown[]): Promise<void>
  /** Runs `callback` inside the Durable Object behind `stub`, with its instance and state. */
  export function runInDurableObject<R>(
    stub: unknown,
    callback: (
      instance: unknown,
      state: { storage: { sql: { exec(query: string): { one(): Record<string, unknown> } } } },
    ) => R | Promise<R>,
  ): Promise<R>
  /** The ids of every object created in `namespace` so far. */
  export function listDurableObjectIds(namespace: unknown): Promise<{ toString(): string }[]>
  /** Runs the object's scheduled alarm now; false when none was scheduled. */
  export function runDurableObjectAlarm(stub: unknown): Promise<boolean>
}
