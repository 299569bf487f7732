import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env'

/**
 * One part of the work every request gets around the routes (the request context, security
 * headers, CORS): `before` runs in order ahead of the routes and may answer the request itself
 * (a CORS preflight); `after` runs in reverse order on the response. Neither throws.
 */
export type EdgeStep = {
  before?: (c: Context<AppEnv>) => Response | undefined
  after?: (c: Context<AppEnv>) => void
}

/**
 * The steps as one middleware: each would otherwise be its own async layer of Hono's chain, a
 * promise and a dispatch per request each. After a step answers, the later steps and the routes
 * don't run, and the earlier steps' `after` still does (the preflight gets its headers and its
 * access-log line).
 */
export function edge(steps: readonly EdgeStep[]): MiddlewareHandler<AppEnv> {
  return async function edge(c, next) {
    let ran = 0
    let answer: Response | undefined
    while (ran < steps.length && !answer) answer = steps[ran++]?.before?.(c)
    if (answer) c.res = answer
    else await next()
    for (let i = ran - 1; i >= 0; i--) steps[i]?.after?.(c)
  }
}
