import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env'
import { AppError } from '../errors/app-error'

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * A request that carries a body must declare JSON: the API accepts nothing else, and reading a
 * form body as JSON would invite cross-site "simple" requests (SECURITY.md, "Browsers").
 */
export function jsonOnly(): MiddlewareHandler<AppEnv> {
  return async function jsonOnly(c, next) {
    if (BODY_METHODS.has(c.req.method) && c.req.raw.body !== null) {
      const contentType = c.req.header('content-type')
      const length = c.req.header('content-length')
      const declaresBody =
        (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined
      const media = contentType?.split(';')[0]?.trim() ?? ''
      if (contentType !== undefined ? !JSON_MEDIA.test(media) : declaresBody) {
        throw new AppError('unsupported_media_type', {
          detail: 'Send the body as application/json.',
        })
      }
    }
    await next()
  }
}
