import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { base64url } from 'jose'
import type { AppEnv } from '../http/app-env'
import type { Config } from '../config/config'
import { jsonContent } from '../openapi/schemas'
import type { KeyProvider } from './key-provider'

const JwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('JWKS')

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['Keys'],
  summary: 'The public keys of the tokens the bridge mints (Hasura reads this)',
  responses: {
    200: jsonContent(JwksSchema, 'Public keys only; cacheable for JWKS_MAX_AGE seconds'),
    304: { description: 'Not modified (If-None-Match)' },
  },
})

const discovery = createRoute({
  method: 'get',
  path: '/.well-known/openid-configuration',
  tags: ['Keys'],
  summary: 'The issuer and where its keys are',
  responses: {
    200: jsonContent(
      z.record(z.string(), z.unknown()),
      'OpenID provider metadata (signing keys only)',
    ),
  },
})

/** The JWKS with `Cache-Control: public, max-age` and an ETag, and the discovery document. */
export function keyRoutes(deps: { config: Config; keys: KeyProvider }) {
  const { config, keys } = deps
  const maxAge = config.keys.jwksMaxAgeSeconds
  // The key set changes rarely: hash each distinct body once, not on every request.
  let cached: { body: string; etag: Promise<string> } | undefined
  const etagOf = (body: string) => {
    if (cached?.body !== body) {
      const etag = crypto.subtle
        .digest('SHA-256', new TextEncoder().encode(body))
        .then((digest) => `"${base64url.encode(new Uint8Array(digest)).slice(0, 27)}"`)
      cached = { body, etag }
    }
    return cached.etag
  }
  const app = new OpenAPIHono<AppEnv>()
  return app
    .openapi(jwks, async (c) => {
      const body = JSON.stringify({ keys: await keys.publishedKeys() })
      const etag = await etagOf(body)
      const headers = { 'Cache-Control': `public, max-age=${maxAge}`, ETag: etag }
      const match = c.req.header('if-none-match')
      if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        return c.body(null, 304, headers)
      }
      return c.body(body, 200, { ...headers, 'Content-Type': 'application/json' })
    })
    .openapi(discovery, async (c) => {
      const algs = [...new Set((await keys.publishedKeys()).map((k) => String(k.alg)))]
      c.header('Cache-Control', `public, max-age=${maxAge}`)
      return c.json(
        {
          issuer: config.publicUrl,
          jwks_uri: `${config.publicUrl}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: algs,
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
        },
        200,
      )
    })
}
