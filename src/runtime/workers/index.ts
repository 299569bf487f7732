/**
 * Cloudflare Workers entry. Builds the same bridge as Node from the Worker's bindings, once per
 * isolate. Only this folder knows it runs on Workers.
 */
import type { ExecutionContext } from 'hono'
import { workersAdapters } from '../../../adapters/workers'
import { assembleBridge, type Bridge } from '../../assembly/assemble'
import { ConfigError } from '../../config/config'
import { AppError } from '../../errors/app-error'
import { problemResponse } from '../../errors/problem'
import { newId } from '../../ids/prefixed-id'
import { generateSigningJwk } from '../../keys/signing-key'
import { durableObjectStore, type StoreNamespace } from '../../store/durable-object-store'

export { StoreObject } from './store-object'

type WorkerEnv = Record<string, unknown>

let built: Promise<Bridge> | undefined

function build(env: WorkerEnv): Promise<Bridge> {
  const namespace = env.STORE as StoreNamespace | undefined
  return assembleBridge({
    name: 'workers',
    env,
    adapters: workersAdapters,
    defaultMode: 'production',
    defaultTrustProxy: 'cf-connecting-ip',
    // Shared by every isolate; without the binding, a per-isolate memory store (development only).
    platformStore: namespace ? durableObjectStore(namespace) : undefined,
    // Development on Workers: a key per isolate. Production requires SIGNING_KEYS or KEY_ENCRYPTION_KEY.
    developmentKeys: async () => ({ keys: [await generateSigningJwk('RS256')] }),
    // On Cloudflare the edge sets CF-Connecting-IP itself; clients cannot forge it.
    socketAddress: (c) => c.req.header('cf-connecting-ip'),
  })
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let bridge: Bridge
    try {
      bridge = await (built ??= build(env))
    } catch (error) {
      built = undefined
      const problems = error instanceof ConfigError ? error.problems : ['start-up failed']
      console.error(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'error',
          event: 'config.invalid',
          problems,
        }),
      )
      return problemResponse(new AppError('misconfigured'), newId('req'))
    }
    return bridge.app.fetch(request, env, ctx)
  },
}
