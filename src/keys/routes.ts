import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { base64url } from 'jose'
import type { AppEnv } from '../app-env'
import type { Config } from '../config/config'
import { AppError } from '../errors/app-error'
import { jsonContent, problem } from '../openapi/schemas'
import { requireAdmin } from '../admin/require-admin'
import type { Authenticator } from '../identity/authenticator'
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
  responses: { 200: jsonContent(z.record(z.string(), z.unknown()), 'OpenID provider metadata (signing keys only)') },
})

const rotate = createRoute({
  method: 'post',
  path: '/v1/admin/keys/rotate',
  tags: ['Admin'],
  summary: 'Start a key rotation: publish a new key now, sign with it after the JWKS cache lifetime',
  security: [{ adminKey: [] }],
  responses: {
    200: jsonContent(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'The key set after the request'),
    401: problem('Missing or wrong admin API key'),
    409: problem('Keys come from SIGNING_KEYS: rotate them there'),
  },
})

const status = createRoute({
  method: 'get',
  path: '/v1/admin/keys',
  tags: ['Admin'],
  summary: 'The key set and each key\'s state (no key material)',
  security: [{ adminKey: [] }],
  responses: { 200: jsonContent(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'Keys'), 401: problem('Missing or wrong admin API key') },
})

/** JWKS with `Cache-Control: public, max-age` and an ETag (SECURITY.md 7); discovery; admin rotation. */
export function keyRoutes(deps: { config: Config; keys: KeyProvider; auth: Authenticator }) {
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
  const admin = requireAdmin(config, deps.auth)
  // In Hono '/v1/admin/keys/*' also matches '/v1/admin/keys' itself.
  app.use('/v1/admin/keys/*', admin)
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
    .openapi(rotate, async (c) => {
      if (!keys.rotate) throw new AppError('conflict', { detail: 'Keys come from SIGNING_KEYS: rotate them there.' })
      const result = await keys.rotate()
      c.var.log.warn('admin.keys_rotate_requested', { keys: result.map((k) => `${k.kid}:${k.state}`) })
      return c.json({ keys: result }, 200)
    })
    .openapi(status, async (c) => {
      const result = keys.status
        ? await keys.status()
        : (await keys.publishedKeys()).map((k, i) => ({ kid: String(k.kid), alg: String(k.alg), state: i === 0 ? 'active' : 'published' }))
      return c.json({ keys: result }, 200)
    })
}
