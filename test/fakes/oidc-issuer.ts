import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose'

type Key = { kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK }

/**
 * A real OIDC issuer over HTTP on 127.0.0.1, as Clerk or Auth0 would serve it: a discovery
 * document and a JWKS. It counts JWKS fetches so tests can see refetch and cooldown behaviour.
 */
export async function startOidcIssuer() {
  const keys: Key[] = []
  let jwksFetches = 0
  let discoveryFetches = 0
  let available = true
  const server: Server = createServer((req, res) => {
    if (!available) {
      res.writeHead(503).end()
      return
    }
    if (req.url === '/.well-known/openid-configuration') {
      discoveryFetches++
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          issuer: issuer.url,
          jwks_uri: `${issuer.url}/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256', 'ES256'],
        }),
      )
      return
    }
    if (req.url === '/jwks.json') {
      jwksFetches++
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const issuer = {
    url: `http://127.0.0.1:${port}`,
    audience: 'bridge-test',
    get jwksFetches() {
      return jwksFetches
    },
    get discoveryFetches() {
      return discoveryFetches
    },
    setAvailable(value: boolean) {
      available = value
    },
    /** Adds a signing key; the newest key signs by default. */
    async addKey(alg: 'RS256' | 'ES256' = 'RS256', kid = `kid-${keys.length + 1}`): Promise<Key> {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
      const key = {
        kid,
        alg,
        privateKey,
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
      }
      keys.push(key)
      return key
    },
    keys,
    /** A token as the IdP would issue it; every field can be overridden for attacks. */
    async sign(
      claims: JWTPayload = {},
      options: {
        key?: Key
        header?: Record<string, unknown>
        expiresIn?: number
        now?: number
      } = {},
    ): Promise<string> {
      const key = options.key ?? keys.at(-1)
      if (!key) throw new Error('no key')
      const now = Math.floor((options.now ?? Date.now()) / 1000)
      return new SignJWT({
        iss: issuer.url,
        aud: issuer.audience,
        sub: 'user_1',
        iat: now,
        exp: now + (options.expiresIn ?? 300),
        ...claims,
      })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header })
        .sign(key.privateKey)
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  return issuer
}

export type OidcIssuer = Awaited<ReturnType<typeof startOidcIssuer>>

/** A local issuer that already has a signing key (RS256 unless told), ready to sign tokens. */
export async function startSigningIssuer(
  alg: Parameters<OidcIssuer['addKey']>[0] = 'RS256',
): Promise<OidcIssuer> {
  const issuer = await startOidcIssuer()
  await issuer.addKey(alg)
  return issuer
}

/** UPSTREAM_ISSUERS for a test issuer. */
export function issuerEnv(issuer: OidcIssuer, extra: Record<string, unknown> = {}): string {
  return JSON.stringify([{ issuer: issuer.url, audience: issuer.audience, ...extra }])
}
