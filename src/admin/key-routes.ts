import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AppError } from '../errors/app-error'
import type { AppEnv } from '../http/app-env'
import { originOf } from '../http/request-context'
import type { KeyProvider } from '../keys/key-provider'
import { jsonContent, problem } from '../openapi/schemas'

const rotate = createRoute({
  method: 'post',
  path: '/v1/admin/keys/rotate',
  tags: ['Admin'],
  summary:
    'Start a key rotation: publish a new key now, sign with it after the JWKS cache lifetime',
  security: [{ adminKey: [] }],
  responses: {
    200: jsonContent(
      z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
      'The key set after the request',
    ),
    401: problem('Missing or wrong admin API key'),
    409: problem('Keys come from SIGNING_KEYS: rotate them there'),
  },
})

const status = createRoute({
  method: 'get',
  path: '/v1/admin/keys',
  tags: ['Admin'],
  summary: "The key set and each key's state (no key material)",
  security: [{ adminKey: [] }],
  responses: {
    200: jsonContent(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'Keys'),
    401: problem('Missing or wrong admin API key'),
  },
})
/** Admin routes over the signing keys: start a rotation of managed keys, see every key's state. */
export function adminKeyRoutes(keys: KeyProvider) {
  return new OpenAPIHono<AppEnv>()
    .openapi(rotate, async (c) => {
      if (!keys.rotate)
        throw new AppError('conflict', {
          detail: 'Keys come from SIGNING_KEYS: rotate them there.',
        })
      const result = await keys.rotate()
      c.get('audit').record(originOf(c), 'key.rotated', {
        by: 'admin',
        keys: result.map((k) => `${k.kid}:${k.state}`),
      })
      return c.json({ keys: result }, 200)
    })
    .openapi(status, async (c) => {
      const result = keys.status
        ? await keys.status()
        : (await keys.publishedKeys()).map((k, i) => ({
            kid: String(k.kid),
            alg: String(k.alg),
            state: i === 0 ? 'active' : 'published',
          }))
      return c.json({ keys: result }, 200)
    })
}
