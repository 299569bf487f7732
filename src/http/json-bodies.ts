import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from './app-env'
import { AppError } from '../errors/app-error'

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * A request that carries a body must declare JSON, and the body is limited in size. The API
 * accepts nothing else, and reading a form body as JSON would invite cross-site "simple" requests
 * (SECURITY.md, "Browsers"). Whether there is a body is read from the headers, so a GET never
 * makes the runtime build a full Request; only methods that can carry a body pay for the limit.
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
  return async function jsonBodies(c, next) {
    if (!BODY_METHODS.has(c.req.method)) return next()
    const length = c.req.header('content-length')
    const declaresBody =
      (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined
    const contentType = c.req.header('content-type')
    if (contentType !== undefined || declaresBody) {
      const media = contentType?.split(';')[0]?.trim() ?? ''
      if (!JSON_MEDIA.test(media))
        throw new AppError('unsupported_media_type', {
          detail: 'Send the body as application/json.',
        })
    }
    return limit(c, next)
  }
}
