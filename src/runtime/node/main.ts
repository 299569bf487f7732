/**
 * Node entry: `npm start`. The only place (with its siblings) that knows it runs on Node.
 * With no configuration it serves a development bridge on 127.0.0.1:8787 with an in-memory store
 * and a signing key generated under `.data/`.
 */
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { createApp } from '../../app'
import { systemClock } from '../../clock'
import { parseConfig } from '../../config/config'
import { parseFirebaseEnv } from '../../../adapters/firebase'
import { firebaseRefreshTokenRevocation } from '../../../adapters/firebase/revoke-refresh-tokens'
import { openPrismaDatabase } from '../../../adapters/prisma/node-database'
import { seedSamplePosts } from '../../../adapters/prisma/samples'
import { loadNodeResources } from '../../../adapters/node-resources'
import { loadResources } from '../../../adapters/resources'
import { loadTemplates } from '../../../adapters/templates'
import { createKeyProvider } from '../../keys/key-source'
import { createLogger } from '../../log/logger'
import { createNodeStore } from './store'
import { loadOrCreateDevKeys } from './dev-keys'

const DATA_DIR = process.env.BRIDGE_DATA_DIR ?? '.data'

async function main(): Promise<void> {
  const result = parseConfig(process.env, { defaultMode: 'development' })
  if (!result.ok) {
    process.stderr.write(`bridgekeeper: invalid configuration\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`)
    process.exit(1)
  }
  const config = result.config
  const logger = createLogger({ level: config.logLevel, clock: systemClock })
  const templates = loadTemplates(process.env, config.mode)
  // Development without DATABASE_URL: the embedded SQLite file. Production: only a configured database.
  const database = config.databaseUrl || config.mode === 'development' ? await openPrismaDatabase({ url: config.databaseUrl, dataDir: DATA_DIR }) : undefined
  if (database?.kind === 'sqlite' && !config.databaseUrl) await seedSamplePosts(database.client)
  const resources = loadResources(
    process.env,
    database ? { prisma: { client: database.client, provider: database.kind === 'postgres' ? 'postgresql' : 'sqlite' } } : {},
  )
  const nodeResources = loadNodeResources(process.env)
  const adapterProblems = [
    ...(templates.ok ? [] : templates.problems),
    ...(resources.ok ? [] : resources.problems),
    ...(nodeResources.ok ? [] : nodeResources.problems),
  ]
  if (!templates.ok || !resources.ok || !nodeResources.ok) {
    process.stderr.write(`bridgekeeper: invalid configuration\n${adapterProblems.map((p) => `  - ${p}`).join('\n')}\n`)
    process.exit(1)
  }
  const store = createNodeStore(config)
  const keys = await createKeyProvider({
    config,
    store,
    clock: systemClock,
    logger,
    developmentKeys: () => loadOrCreateDevKeys(DATA_DIR),
  })

  const firebase = parseFirebaseEnv(process.env, config.mode)
  const revokeFirebase =
    firebase.ok && firebase.env.revokeOnSignOut && firebase.env.serviceAccount ? firebaseRefreshTokenRevocation(firebase.env.serviceAccount) : undefined

  const app = createApp({
    config,
    onSessionsRevoked: revokeFirebase,
    store,
    clock: systemClock,
    logger,
    keys,
    templates: templates.templates,
    resources: [...resources.resources, ...nodeResources.resources],
    runtime: 'node',
    socketAddress: (c: Context) => {
      try {
        return getConnInfo(c).remote.address
      } catch {
        return undefined
      }
    },
  })

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const base = config.publicUrl
    const lines = [
      `Bridgekeeper ${config.mode === 'development' ? '(development mode)' : ''} listening on ${info.address}:${info.port}`,
      `  health   ${base}/healthz`,
      `  API docs ${base}/docs  (OpenAPI: ${base}/openapi.json)`,
      `  store    ${store.kind}`,
      `  database ${database?.label ?? '(none: set DATABASE_URL)'}`,
      `  data     ${[...resources.resources, ...nodeResources.resources].map((r) => `/v1/data/${r.name}`).join(', ') || '(none)'}`,
      ...resources.skipped.map((s) => `           not served: ${s}`),
    ]
    lines.push(`  JWKS     ${base}/.well-known/jwks.json (${keys.kind} keys)`)
    if (config.mode === 'development' && keys.kind === 'static' && !config.signingKeys)
      lines.push(`  keys     ${DATA_DIR}/signing-keys.json (development key, git-ignored)`)
    process.stdout.write(`${lines.join('\n')}\n`)
  })

  const shutdown = (signal: string) => {
    logger.info('process.shutdown', { signal })
    server.close(() => {
      void Promise.allSettled([store.close(), database?.close(), nodeResources.close()]).finally(() => process.exit(0))
    })
    setTimeout(() => process.exit(0), 5000).unref()
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((error: unknown) => {
  process.stderr.write(`bridgekeeper: failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
