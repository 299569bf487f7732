import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../http/app-env'
import { AppError } from '../errors/app-error'
import { jsonContent, problem } from '../openapi/schemas'
import type { Store } from '../store/types'

const READY_TIMEOUT_MS = 2000

const liveness = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['Health'],
  summary: 'The process is alive',
  responses: { 200: jsonContent(z.object({ status: z.literal('ok') }), 'Alive') },
})

const readiness = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['Health'],
  summary: 'The bridge can serve: its store answers',
  responses: {
    200: jsonContent(z.object({ status: z.literal('ready'), store: z.string() }), 'Ready'),
    503: problem('The store does not answer'),
  },
})

export function healthRoutes({ store }: { store: Store }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(liveness, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readiness, async (c) => {
      try {
        await withTimeout(store.ping(), READY_TIMEOUT_MS)
      } catch (error) {
        throw new AppError('store_unavailable', { reason: 'readiness ping failed', cause: error })
      }
      return c.json({ status: 'ready' as const, store: store.kind }, 200)
    })
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
