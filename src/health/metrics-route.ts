import { Hono } from 'hono'
import type { AppEnv } from '../http/app-env'
import { AppError, bearerChallenge } from '../errors/app-error'
import type { Metrics } from '../log/metrics'
import { secretsEqual } from '../sessions/secret'

/**
 * GET /metrics: the Prometheus text exposition, only with METRICS_TOKEN as a bearer token
 * (401 otherwise), and only where the runtime keeps metrics (404 otherwise). Not in the OpenAPI
 * document: it is for the operator's scraper, not for clients.
 */
export function metricsRoute(deps: { token: string | undefined; metrics: Metrics }) {
  return new Hono<AppEnv>().get('/metrics', async (c) => {
    const rendered = deps.token === undefined ? null : await deps.metrics.render()
    if (deps.token === undefined || !rendered) throw new AppError('not_found')
    const header = c.req.header('authorization') ?? ''
    const presented = /^Bearer (\S+)$/.exec(header)?.[1] ?? ''
    if (!(await secretsEqual(presented, deps.token))) {
      c.get('log').warn('security.metrics_refused', {
        reason: presented ? 'bad_token' : 'no_token',
      })
      throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': bearerChallenge() } })
    }
    c.header('Content-Type', rendered.contentType)
    return c.body(rendered.body, 200)
  })
}
