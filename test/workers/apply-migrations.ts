import { applyD1Migrations, env } from 'cloudflare:test'

// The same SQL migrations the Node runtime applies to SQLite, applied to the D1 binding.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
