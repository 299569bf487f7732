import { Hono } from 'hono'
import type { AppEnv } from '../http/app-env'
import { AppError, bearerChallenge } from '../errors/app-error'
import type { Config } from '../config/config'
import type { Metrics } from '../observability/metrics'
import { secretsEqual } from '../crypto/secrets-equal'

/**
 * GET /metrics: the Prometheus text exposition, only with METRICS_TOKEN as a bearer token
 * (401 otherwise), and only where the runtime keeps metrics (404 otherwise). Not in the OpenAPI
 * document: it is for the operator's scraper, not for clients.
 */
export function metricsRoute(deps: { config: Config; metrics: Metrics }) {
  const token = deps.config.metricsToken
  return new Hono<AppEnv>().get('/metrics', async (c) => {
    const rendered = token === undefined ? null : await deps.metrics.render()
    if (token === undefined || !rendered) throw new AppError('not_found')
    const header = c.req.header('authorization') ?? ''
    const presented = /^Bearer (\S+)$/.exec(header)?.[1] ?? ''
    if (!(await secretsEqual(presented, token))) {
      c.get('log').warn('security.metrics_refused', {
        reason: presented ? 'bad_token' : 'no_token',
      })
      throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': bearerChallenge() } })
    }
    c.header('Content-Type', rendered.contentType)
    return c.body(rendered.body, 200)
  })
}
