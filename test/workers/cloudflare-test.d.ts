declare module 'cloudflare:test' {
  export const env: { DB: unknown; TEST_MIGRATIONS: unknown[] }
  export function applyD1Migrations(db: unknown, migrations: unknown[]): Promise<void>
}
