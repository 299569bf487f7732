import { parseEnvSection } from './env-section'
import { envSchema, type IssuerConfig, type ParsedEnv } from './env-schema'

export type Mode = 'development' | 'production'
export type TrustProxy = 'none' | 'x-forwarded-for' | 'cf-connecting-ip'

/** The bridge's configuration, parsed once at start-up. */
export type Config = {
  mode: Mode
  /** BRIDGE_MODE (or NODE_ENV) said the mode; false when it is the runtime's default. */
  modeExplicit: boolean
  host: string
  port: number
  /** Origin the bridge is reached at; the issuer of the tokens it mints. No trailing slash. */
  publicUrl: string
  allowedOrigins: string[]
  /** Development only: any http://localhost:PORT or http://127.0.0.1:PORT origin is allowed too. */
  allowLocalhostOrigins: boolean
  trustProxy: TrustProxy
  bodyLimitBytes: number
  logLevel: ParsedEnv['LOG_LEVEL']
  signingKeys: ParsedEnv['SIGNING_KEYS']
  keys: {
    /** PKCS#8 PEM private keys (alternative to SIGNING_KEYS); the first one signs. */
    pem: string | undefined
    /** When set (and SIGNING_KEYS is not), keys are generated, rotated and kept encrypted in the store. */
    encryptionKeys: string[]
    alg: ParsedEnv['SIGNING_ALG']
    rsaBits: number
    rotationDays: number
    jwksMaxAgeSeconds: number
    maxTokenLifetimeSeconds: number
  }
  minting: { perUser: number; perIp: number; windowSeconds: number }
  data: { perUser: number; perIp: number; windowSeconds: number }
  adminApiKey: string | undefined
  /** Bearer token of GET /metrics; unset: no metrics route. */
  metricsToken: string | undefined
  /** Key material for data-list cursors' HMAC (see data/cursor.ts); undefined: per process. */
  cursorSecret: string | undefined
  upstream: {
    issuers: IssuerConfig[]
    cookieName: string
    jwksTimeoutMs: number
    jwksCooldownMs: number
    maxTokenBytes: number
    /** UPSTREAM_MAX_TOKEN_LIFETIME: also how long "not before" records are kept. */
    maxTokenLifetimeSeconds: number
  }
  sessions: {
    idleSeconds: number
    absoluteSeconds: number
    rotationGraceSeconds: number
    maxPerUser: number
    createPerUser: number
    createPerIp: number
    createWindowSeconds: number
  }
  authFailures: { limit: number; windowSeconds: number }
}

export type ConfigOptions = {
  /** Mode when neither BRIDGE_MODE nor NODE_ENV says: Node defaults to development, Workers to production. */
  defaultMode: Mode
  /** The runtime sets the client address itself (Workers: CF-Connecting-IP). */
  defaultTrustProxy?: TrustProxy
}

export type ConfigResult =
  | { ok: true; config: Config }
  | {
      ok: false
      problems: string[]
      /** The mode the environment asks for, when it could be read: later rules still apply. */
      mode?: Mode
    }

/**
 * Parses the environment into a Config. Never throws and never includes a value in a
 * problem message, because several variables are secrets.
 */
export function parseConfig(env: Record<string, unknown>, options: ConfigOptions): ConfigResult {
  const parsed = parseEnvSection(envSchema, env)
  if (!parsed.ok) return parsed
  const e = parsed.value
  const explicitMode: Mode | undefined =
    e.BRIDGE_MODE ??
    (e.NODE_ENV === 'production' || e.NODE_ENV === 'development' ? e.NODE_ENV : undefined)
  const mode: Mode = explicitMode ?? options.defaultMode
  // On loopback the default name is `localhost`: a page on http://localhost:5173 (Vite) and the
  // bridge are then the same site, so its session cookie goes along with fetch (127.0.0.1 would
  // be another site, and the cookie sign-in would answer 201, then 401 on every call).
  const defaultHost = isLoopbackHost(e.HOST) ? 'localhost' : formatHost(e.HOST)
  const publicUrl = (e.PUBLIC_URL ?? `http://${defaultHost}:${e.PORT}`).replace(/\/+$/, '')

  const problems: string[] = []
  if (mode === 'production') {
    if (!e.SIGNING_KEYS && !e.SIGNING_KEYS_PEM && !e.KEY_ENCRYPTION_KEY && !e.KEY_ENCRYPTION_KEYS)
      problems.push(
        'SIGNING_KEYS: required in production (a JWK set with private keys), unless KEY_ENCRYPTION_KEY lets the bridge manage its keys in the store',
      )
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL: required in production (the issuer and JWKS URL)')
    else if (!e.PUBLIC_URL.startsWith('https://'))
      problems.push('PUBLIC_URL: must use https in production')
    if (new URL(publicUrl).pathname !== '/')
      problems.push('PUBLIC_URL: must be an origin without a path')
  }
  if (mode === 'development')
    problems.push(...developmentModeProblems(e, publicUrl, explicitMode !== undefined))
  for (const issuer of e.UPSTREAM_ISSUERS ?? []) {
    // Tokens the bridge mints must never log anyone in (SECURITY.md, "Tokens the bridge mints").
    if (issuer.issuer.replace(/\/+$/, '').startsWith(publicUrl))
      problems.push('UPSTREAM_ISSUERS: an upstream issuer cannot be the bridge itself')
  }
  if (e.KEY_ENCRYPTION_KEY && e.KEY_ENCRYPTION_KEYS)
    problems.push('KEY_ENCRYPTION_KEYS: set KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEYS, not both')
  if (e.SIGNING_KEYS && e.SIGNING_KEYS_PEM)
    problems.push('SIGNING_KEYS_PEM: set SIGNING_KEYS or SIGNING_KEYS_PEM, not both')
  if (e.SESSION_IDLE_TIMEOUT > e.SESSION_ABSOLUTE_TIMEOUT)
    problems.push('SESSION_IDLE_TIMEOUT: must not exceed SESSION_ABSOLUTE_TIMEOUT')
  if (problems.length > 0) return { ok: false, problems, mode }

  const allowedOrigins = e.ALLOWED_ORIGINS ?? (mode === 'development' ? [publicUrl] : [])
  return {
    ok: true,
    config: {
      mode,
      modeExplicit: explicitMode !== undefined,
      host: e.HOST,
      port: e.PORT,
      publicUrl,
      allowedOrigins,
      allowLocalhostOrigins: mode === 'development' && !e.ALLOWED_ORIGINS,
      trustProxy: e.TRUST_PROXY ?? options.defaultTrustProxy ?? 'none',
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      logLevel: e.LOG_LEVEL,
      signingKeys: e.SIGNING_KEYS,
      keys: {
        pem: e.SIGNING_KEYS_PEM,
        encryptionKeys:
          e.KEY_ENCRYPTION_KEYS ?? (e.KEY_ENCRYPTION_KEY ? [e.KEY_ENCRYPTION_KEY] : []),
        alg: e.SIGNING_ALG,
        rsaBits: e.SIGNING_RSA_BITS,
        rotationDays: e.KEY_ROTATION_DAYS,
        jwksMaxAgeSeconds: e.JWKS_MAX_AGE,
        maxTokenLifetimeSeconds: e.TOKEN_MAX_LIFETIME,
      },
      minting: { perUser: e.MINT_PER_USER, perIp: e.MINT_PER_IP, windowSeconds: e.MINT_WINDOW },
      data: { perUser: e.DATA_PER_USER, perIp: e.DATA_PER_IP, windowSeconds: e.DATA_WINDOW },
      adminApiKey: e.ADMIN_API_KEY,
      metricsToken: e.METRICS_TOKEN,
      cursorSecret:
        e.CURSOR_SECRET ??
        e.KEY_ENCRYPTION_KEYS?.[0] ??
        e.KEY_ENCRYPTION_KEY ??
        (e.SIGNING_KEYS ? JSON.stringify(e.SIGNING_KEYS) : undefined) ??
        e.SIGNING_KEYS_PEM,
      upstream: {
        issuers: e.UPSTREAM_ISSUERS ?? [],
        cookieName: e.UPSTREAM_COOKIE_NAME,
        jwksTimeoutMs: e.JWKS_TIMEOUT_MS,
        jwksCooldownMs: e.JWKS_COOLDOWN_SECONDS * 1000,
        maxTokenBytes: e.MAX_TOKEN_BYTES,
        maxTokenLifetimeSeconds: e.UPSTREAM_MAX_TOKEN_LIFETIME,
      },
      sessions: {
        idleSeconds: e.SESSION_IDLE_TIMEOUT,
        absoluteSeconds: e.SESSION_ABSOLUTE_TIMEOUT,
        rotationGraceSeconds: e.SESSION_ROTATION_GRACE,
        maxPerUser: e.SESSION_MAX_PER_USER,
        createPerUser: e.SESSION_CREATE_PER_USER,
        createPerIp: e.SESSION_CREATE_PER_IP,
        createWindowSeconds: e.SESSION_CREATE_WINDOW,
      },
      authFailures: { limit: e.AUTH_FAILURE_LIMIT, windowSeconds: e.AUTH_FAILURE_WINDOW },
    },
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const DEVELOPMENT_RULE =
  'development mode serves /dev/token, which signs in as anyone, so it runs only on a loopback HOST with an http PUBLIC_URL: set BRIDGE_MODE=production, or bind HOST to 127.0.0.1'

/**
 * Development mode is for a developer's own machine. It is refused on an address others can
 * reach or behind an https URL, and it must be asked for by name once the configuration looks
 * like a deployment (real keys or identity providers).
 */
function developmentModeProblems(e: ParsedEnv, publicUrl: string, explicit: boolean): string[] {
  const problems: string[] = []
  if (!isLoopbackHost(e.HOST)) problems.push(`HOST: ${DEVELOPMENT_RULE}`)
  if (!publicUrl.startsWith('http://')) problems.push(`PUBLIC_URL: ${DEVELOPMENT_RULE}`)
  if (!explicit) {
    const deployment = (
      [
        'SIGNING_KEYS',
        'SIGNING_KEYS_PEM',
        'KEY_ENCRYPTION_KEY',
        'KEY_ENCRYPTION_KEYS',
        'UPSTREAM_ISSUERS',
      ] as const
    ).filter((name) => e[name] !== undefined)
    for (const name of deployment)
      problems.push(
        `${name}: is set, so the mode must be too: set BRIDGE_MODE=production (or BRIDGE_MODE=development on loopback)`,
      )
  }
  return problems
}

/** True for names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare)
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}
