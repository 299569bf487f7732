import type { Hono } from 'hono'
import { adminRoutes } from '../admin/routes'
import { dataRoutes } from '../data/routes'
import { demoRoutes } from '../demo/routes'
import { metricsRoute } from '../health/metrics-route'
import { healthRoutes } from '../health/routes'
import type { AppEnv } from '../http/app-env'
import { devRoutes, identityRoutes } from '../identity/routes'
import { keyRoutes } from '../keys/routes'
import { sessionRoutes } from '../sessions/routes'
import { authHookRoutes } from '../tokens/auth-hook-routes'
import { tokenRoutes } from '../tokens/routes'
import { webhookReceiverRoutes } from '../webhooks/routes'
import type { Engine } from './engine'

/**
 * A group of routes: takes the members of the engine it uses (its parameter type says which) and
 * returns its routes, or nothing when it is off (the development-only routes in production).
 */
export type RouteModule = (engine: Engine) => Hono<AppEnv> | undefined

/** Every route group of the engine, in the order they are mounted. Add yours here. */
export const routeModules: readonly RouteModule[] = [
  healthRoutes,
  identityRoutes,
  sessionRoutes,
  adminRoutes,
  keyRoutes,
  tokenRoutes,
  authHookRoutes,
  webhookReceiverRoutes,
  dataRoutes,
  metricsRoute,
  devRoutes,
  demoRoutes,
]
