import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from './app-env'
import { AppError } from '../errors/app-error'

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * True when the request has a body. Its headers decide when they say (a length, or chunked);
 * when they say nothing, an HTTP/1.1 request has no body (RFC 9112 §6.3), which the Node runtime
 * declares (`http1` in the request context) so that no request stream is built to find out.
 * Elsewhere (Workers, in-process requests) the platform's Request tells.
 */
export function hasBody(c: Context<AppEnv>): boolean {
  const length = c.req.header('content-length')
  if (length !== undefined) return length !== '0'
  if (c.req.header('transfer-encoding') !== undefined) return true
  return c.get('http1') ? false : c.req.raw.body !== null
}

/**
 * A request that carries a body must declare JSON, and the body is limited in size. The API
 * accepts nothing else, and reading a form body as JSON would invite cross-site "simple" requests
 * (SECURITY.md, "Browsers"). Only methods that can carry a body are checked, from the headers,
 * so a GET never makes the runtime build a full Request.
 */
export function jsonBodies(options: { maxBytes: number }): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: options.maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', {
        detail: `The body may be at most ${options.maxBytes} bytes.`,
      })
    },
  })
  // Not async: a request that has nothing to check adds no promise of its own.
  return function jsonBodies(c, next) {
    if (!BODY_METHODS.has(c.req.method)) return next()
    const length = c.req.header('content-length')
    const chunked = c.req.header('transfer-encoding') !== undefined
    const contentType = c.req.header('content-type')
    const framed = (length !== undefined && length !== '0') || chunked
    const media = contentType?.split(';')[0]?.trim() ?? ''
    if (contentType !== undefined ? !JSON_MEDIA.test(media) : framed)
      throw new AppError('unsupported_media_type', { detail: 'Send the body as application/json.' })
    // A declared length is enforced by the HTTP parser (the body can't run past it), so it is
    // checked from the header; a chunked body, or one whose length nobody declared, is counted
    // as it streams.
    if (!chunked && (length !== undefined || c.get('http1'))) {
      if (length !== undefined && !(Number(length) <= options.maxBytes)) return limit(c, next)
      return next()
    }
    return limit(c, next)
  }
}
