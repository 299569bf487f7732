import type { NotFoundHandler } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'
import type { AppEnv } from './app-env'
import { AppError } from '../errors/app-error'
import { problemResponse } from '../errors/problem'
import { onNotFound } from './error-handler'

type Route = { method: string; path: string }

/**
 * The answer when no route matched: 405 with `Allow` when the path has routes for other
 * methods, else the 404 problem. Decided here rather than by a middleware around every request
 * (Hono's `methodNotAllowed`), so requests that match a route pay nothing for it. `routes` is the
 * app's live route list, read at the first unmatched request, when every route is registered.
 */
export function notFoundOrNotAllowed(routes: readonly Route[]): NotFoundHandler<AppEnv> {
  let router: TrieRouter<string[]> | undefined
  const allowedMethods = (path: string): Set<string> => {
    router ??= routerOf(routes)
    const methods = new Set<string>()
    for (const [list] of router.match('ALL', path)[0])
      for (const method of list) methods.add(method)
    return methods
  }
  return (c) => {
    c.set('unmatched', true)
    const methods = allowedMethods(c.req.path)
    if (methods.size === 0 || methods.has(c.req.method)) return onNotFound(c)
    return problemResponse(
      new AppError('method_not_allowed', { headers: { Allow: [...methods].join(', ') } }),
      c.get('requestId'),
    )
  }
}

/** Each route path with its methods (GET implies HEAD); middleware (`ALL`) is no route. */
function routerOf(routes: readonly Route[]): TrieRouter<string[]> {
  const methodsByPath = new Map<string, Set<string>>()
  for (const route of routes) {
    if (route.method === 'ALL' || route.method === 'HEAD') continue
    const methods = methodsByPath.get(route.path) ?? new Set<string>()
    methods.add(route.method)
    if (route.method === 'GET') methods.add('HEAD')
    methodsByPath.set(route.path, methods)
  }
  const router = new TrieRouter<string[]>()
  for (const [path, methods] of methodsByPath) router.add('ALL', path, [...methods])
  return router
}
