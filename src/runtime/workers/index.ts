/**
 * Cloudflare Workers entry. Builds the same app as Node from the Worker's bindings, once per
 * isolate. Only this folder knows it runs on Workers.
 */
import type { ExecutionContext } from 'hono'
import { createApp, type App } from '../../app'
import { systemClock } from '../../clock'
import { ConfigError, loadConfig } from '../../config/config'
import { AppError } from '../../errors/app-error'
import { problemResponse } from '../../errors/problem'
import { newId } from '../../ids/prefixed-id'
import { openD1Database } from '../../../adapters/prisma/d1-database'
import { loadResources } from '../../../adapters/resources'
import { loadTemplates } from '../../../adapters/templates'
import { createKeyProvider } from '../../keys/key-source'
import { generateSigningJwk } from '../../keys/signing-key'
import { createLogger } from '../../log/logger'
import { createMemoryStore } from '../../store/memory-store'
import { durableObjectStore, type StoreNamespace } from './durable-object-store'

export { StoreObject } from './store-object'

type WorkerEnv = Record<string, unknown>

let built: Promise<App> | undefined

async function build(env: WorkerEnv): Promise<App> {
  const namespace = env.STORE as StoreNamespace | undefined
  const config = loadConfig(env, { defaultMode: 'production', defaultTrustProxy: 'cf-connecting-ip', platformStore: namespace !== undefined })
  const logger = createLogger({ level: config.logLevel, clock: systemClock })
  const templates = loadTemplates(env, config.mode)
  if (!templates.ok) throw new ConfigError(templates.problems)
  // Per isolate, not per request: a Prisma client on D1 holds no socket, unlike ioredis.
  const resources = loadResources(env, env.DB ? { prisma: { client: openD1Database(env.DB), provider: 'sqlite' } } : {})
  if (!resources.ok) throw new ConfigError(resources.problems)
  // The Durable Object store is shared by every isolate; the memory store is per isolate.
  const store = namespace ? durableObjectStore(namespace) : createMemoryStore()
  if (typeof env.MONGODB_URL === 'string' && env.MONGODB_URL !== '') {
    logger.warn('workers.mongodb_not_served', { reason: 'The MongoDB adapter runs on Node only; mongo-posts is not served by this Worker.' })
  }
  const keys = await createKeyProvider({
    config,
    store,
    clock: systemClock,
    logger,
    // Development on Workers: a key per isolate. Production requires SIGNING_KEYS or KEY_ENCRYPTION_KEY.
    developmentKeys: async () => ({ keys: [await generateSigningJwk('RS256')] }),
  })
  return createApp({
    config,
    store,
    clock: systemClock,
    logger,
    keys,
    templates: templates.templates,
    resources: resources.resources,
    runtime: 'workers',
    // On Cloudflare the edge sets CF-Connecting-IP itself; clients cannot forge it.
    socketAddress: (c) => c.req.header('cf-connecting-ip'),
  })
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app: App
    try {
      app = await (built ??= build(env))
    } catch (error) {
      built = undefined
      const problems = error instanceof ConfigError ? error.problems : ['start-up failed']
      console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', event: 'config.invalid', problems }))
      return problemResponse(new AppError('misconfigured'), newId('req'))
    }
    return app.fetch(request, env, ctx)
  },
}
