import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose'
import type { Clock } from '../../clock'
import type { IssuerConfig } from '../../config/env-schema'
import { boundedFetch, type FetchLike } from '../../http/bounded-fetch'
import type { Logger } from '../../observability/logger'
import { principalFromClaims } from '../claims'
import type { UserNamespaces } from '../namespaces'
import { failureFromJose, looksLikeCompactJws, type VerifyResult } from './verify-result'

const MAX_DOCUMENT_BYTES = 256 * 1024
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000

export type UpstreamVerifierOptions = {
  issuers: IssuerConfig[]
  timeoutMs: number
  cooldownMs: number
  maxTokenBytes: number
  clock: Clock
  logger: Logger
  fetch?: FetchLike
  /** Each issuer's user-id space. */
  namespaces: UserNamespaces
  /**
   * The longest lifetime (exp − iat, or exp − now without iat) of a token the bridge accepts:
   * "not before" records are kept this long, so no older token can outlive its revocation.
   */
  maxLifetimeSeconds: number
}

export interface TokenVerifier {
  /** True when this verifier is responsible for tokens from `issuer`. */
  handles(issuer: string): boolean
  verify(token: string, issuer: string): Promise<VerifyResult>
}

type Entry = { config: IssuerConfig; keys: Promise<JWTVerifyGetKey> | undefined }

/**
 * Verifies JWTs from the configured OIDC issuers (SECURITY.md, "Upstream JWTs"): pinned asymmetric
 * algorithms, keys only from the issuer's JWKS (embedded `jwk`/`jku`/`x5u`/`x5c` headers are never
 * used), exact `iss`, required `aud`/`exp`/`sub`, `azp` checked when present.
 */
export function createUpstreamVerifier(options: UpstreamVerifierOptions): TokenVerifier {
  const fetcher = boundedFetch({
    maxBytes: MAX_DOCUMENT_BYTES,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
  })
  const entries = new Map<string, Entry>(
    options.issuers.map((config) => [config.issuer, { config, keys: undefined }]),
  )

  async function jwksUriOf(config: IssuerConfig): Promise<string> {
    if (config.jwksUri) return config.jwksUri
    const url = `${config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
    const response = await fetcher(url, { headers: { accept: 'application/json' } })
    if (response.status !== 200) throw new Error(`discovery answered ${response.status}`)
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown }
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer must equal the one we asked.
    if (document.issuer !== config.issuer) throw new Error('discovery issuer mismatch')
    if (typeof document.jwks_uri !== 'string' || !/^https?:\/\//.test(document.jwks_uri)) {
      throw new Error('discovery has no usable jwks_uri')
    }
    return document.jwks_uri
  }

  function keysOf(entry: Entry): Promise<JWTVerifyGetKey> {
    entry.keys ??= jwksUriOf(entry.config).then((uri) =>
      createRemoteJWKSet(new URL(uri), {
        timeoutDuration: options.timeoutMs,
        cooldownDuration: options.cooldownMs,
        cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
        [customFetch]: fetcher,
      }),
    )
    entry.keys.catch(() => {
      entry.keys = undefined
    })
    return entry.keys
  }

  return {
    handles: (issuer) => entries.has(issuer),
    async verify(token, issuer) {
      const entry = entries.get(issuer)
      if (!entry) return { ok: false, reason: 'unknown_issuer' }
      const { config } = entry
      let keys: JWTVerifyGetKey
      try {
        keys = await keysOf(entry)
      } catch (error) {
        options.logger.error('upstream.jwks_unavailable', { issuer, error })
        return { ok: false, reason: 'keys_unavailable' }
      }
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: config.algorithms,
          clockTolerance: config.clockSkewSeconds,
          currentDate: new Date(options.clock.now()),
          requiredClaims:
            config.audience === undefined ? ['sub', 'exp', 'iss'] : ['sub', 'exp', 'iss', 'aud'],
        })
        // Without an audience, the authorized party is what ties the token to this deployment:
        // it must be present and allowed (Clerk's session tokens: `azp`, the app's origin).
        const checkAzp =
          config.audience === undefined ||
          (payload.azp !== undefined && config.authorizedParties !== undefined)
        if (checkAzp) {
          const parties = config.authorizedParties ?? []
          if (typeof payload.azp !== 'string' || !parties.includes(payload.azp)) {
            return { ok: false, reason: 'azp_not_allowed' }
          }
        }
        const namespace = options.namespaces.of(config.issuer)
        const principal = namespace ? principalFromClaims(namespace, payload, config.claims) : null
        if (!principal || payload.exp === undefined) return { ok: false, reason: 'no_subject' }
        const issuedAt = typeof payload.iat === 'number' ? payload.iat : undefined
        const from = issuedAt ?? Math.floor(options.clock.now() / 1000)
        if (payload.exp - from > options.maxLifetimeSeconds + config.clockSkewSeconds)
          return { ok: false, reason: 'lifetime_too_long' }
        return {
          ok: true,
          principal,
          expiresAt: payload.exp * 1000,
          issuedAt: issuedAt === undefined ? undefined : issuedAt * 1000,
        }
      } catch (error) {
        const reason = failureFromJose(error)
        if (reason === 'keys_unavailable')
          options.logger.error('upstream.jwks_unavailable', { issuer, error })
        return { ok: false, reason }
      }
    },
  }
}

/**
 * Reads the unverified `iss` only to pick the verifier; every claim is verified afterwards.
 * Returns null for anything that is not a well-formed compact JWS of acceptable size.
 */
export function peekIssuer(
  token: string,
  maxTokenBytes: number,
): { issuer: string } | { error: 'malformed' | 'too_large' } {
  if (token.length > maxTokenBytes) return { error: 'too_large' }
  if (!looksLikeCompactJws(token)) return { error: 'malformed' }
  try {
    decodeProtectedHeader(token)
    const { iss } = decodeJwt(token)
    return typeof iss === 'string' ? { issuer: iss } : { error: 'malformed' }
  } catch {
    return { error: 'malformed' }
  }
}
