import { z } from 'zod'

/**
 * Every environment variable (or Workers binding) the bridge reads, with its default.
 * Messages never include the value: some of these are secrets.
 */
const seconds = (fallback: number, max = 31_536_000) =>
  z.coerce.number().int().min(1).max(max).default(fallback)
const count = (fallback: number, max = 1_000_000) =>
  z.coerce.number().int().min(1).max(max).default(fallback)

const origin = z.string().refine(
  (value) => {
    if (value === 'null' || value.includes('*')) return false
    try {
      const url = new URL(value)
      return url.origin === value && (url.protocol === 'https:' || url.protocol === 'http:')
    } catch {
      return false
    }
  },
  {
    message:
      'each origin must be exact, like https://app.example.com (no path, no wildcard, not "null")',
  },
)

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item))

/** A variable holding JSON, parsed then checked by `schema` (the message never quotes the value). */
export const jsonVariable = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' })
        return z.NEVER
      }
    })
    .pipe(schema)

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const

const issuerSchema = z
  .object({
    issuer: z.url({ protocol: /^https?$/ }),
    jwksUri: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * Required unless `authorizedParties` is set: Clerk's default session token has no `aud`,
     * and names the app that asked for it in `azp` instead.
     */
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    algorithms: z.array(z.enum(ASYMMETRIC_ALGORITHMS)).min(1).default(['RS256', 'ES256']),
    clockSkewSeconds: z.number().int().min(0).max(60).default(5),
    authorizedParties: z.array(z.string().min(1)).optional(),
    /** Puts this issuer's users in their own id space: user ids are `userIdPrefix + sub`. */
    userIdPrefix: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,32}:$/, {
        message: 'must be 1-32 letters, digits, ".", "_" or "-", ending in ":" (like "clerk:")',
      })
      .optional(),
    claims: z
      .object({
        email: z.string().default('email'),
        emailVerified: z.string().default('email_verified'),
        roles: z.string().default('roles'),
        /** The first claim present counts: `org_id`, else Clerk's current `o.id`. */
        org: z.union([z.string(), z.array(z.string()).min(1)]).default(['org_id', 'o.id']),
        orgRole: z.union([z.string(), z.array(z.string()).min(1)]).default(['org_role', 'o.rol']),
      })
      .prefault({}),
  })
  .strict()
  .refine((issuer) => issuer.audience !== undefined || issuer.authorizedParties !== undefined, {
    message:
      'set audience, or authorizedParties (the azp values of your apps, as Clerk session tokens carry)',
    path: ['audience'],
  })
export type IssuerConfig = z.output<typeof issuerSchema>

export const envSchema = z.object({
  BRIDGE_MODE: z
    .enum(['development', 'production'])
    .optional()
    .describe(
      '`development` or `production`. Default: `development` on Node (`production` when `NODE_ENV=production`), `production` on Workers. Production refuses to start without signing keys, a shared store and an https `PUBLIC_URL`, and has no `/dev/token`',
    ),
  NODE_ENV: z
    .string()
    .optional()
    .describe('`production` or `development` set the mode when `BRIDGE_MODE` is unset'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Node listener address'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787).describe('Node listener port'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'The origin clients use (default `http://HOST:PORT`, with `localhost` for a loopback HOST); the issuer of minted tokens',
    ),
  ALLOWED_ORIGINS: csv(origin)
    .optional()
    .describe(
      'Comma-separated exact origins for CORS and cookie-authenticated writes. Default: development, the bridge itself and any `http://localhost:*` or `http://127.0.0.1:*`; production, none',
    ),
  TRUST_PROXY: z
    .enum(['none', 'x-forwarded-for', 'cf-connecting-ip'])
    .optional()
    .describe(
      '`none`, `x-forwarded-for` (right-most hop) or `cf-connecting-ip`: where the client address comes from (Workers default: `cf-connecting-ip`). With `none`, forwarding headers are ignored',
    ),
  BODY_LIMIT_BYTES: count(64 * 1024, 10 * 1024 * 1024).describe('Larger request bodies get 413'),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'])
    .default('info')
    .describe('`debug`, `info`, `warn` or `error`'),

  SIGNING_KEYS: jsonVariable(
    z.object(
      { keys: z.array(z.record(z.string(), z.unknown())).min(1) },
      {
        message: 'must be a JWK set: {"keys":[…]} with private keys',
      },
    ),
  )
    .optional()
    .describe(
      'Secret: a JWK set of private keys (`kid`, `alg` of RS256/ES256/EdDSA; RSA ≥ 2048 bits). All are published; the first one signs. Development default: a key generated into `.data/signing-keys.json`',
    ),
  SIGNING_KEYS_PEM: z
    .string()
    .refine((value) => value.includes('-----BEGIN PRIVATE KEY-----'), {
      message: 'must hold one or more PKCS#8 PEM blocks (-----BEGIN PRIVATE KEY-----)',
    })
    .optional()
    .describe(
      "Secret, instead of `SIGNING_KEYS`: PKCS#8 PEM blocks of `SIGNING_ALG`; the `kid` is the key's RFC 7638 thumbprint",
    ),
  KEY_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, {
      message: 'must be 32 random bytes, base64url-encoded (43 characters)',
    })
    .optional()
    .describe(
      'Secret, 32 bytes base64url: with no static keys, the bridge generates, rotates and keeps its keys in the shared store, encrypted with this key',
    ),
  KEY_ENCRYPTION_KEYS: csv(
    z.string().regex(/^[A-Za-z0-9_-]{43}$/, {
      message: 'each must be 32 random bytes, base64url-encoded (43 characters)',
    }),
  )
    .pipe(z.array(z.string()).min(1))
    .optional()
    .describe(
      'Secret, instead of `KEY_ENCRYPTION_KEY` while replacing it: comma-separated key-encryption keys. The first encrypts (stored keys are re-wrapped with it); any of them decrypts',
    ),
  SIGNING_ALG: z
    .enum(['RS256', 'ES256', 'EdDSA'])
    .default('RS256')
    .describe(
      "Algorithm of generated keys (`RS256`, `ES256`, `EdDSA`). RS256 is the default because Hasura's EdDSA support through a JWKS has broken before",
    ),
  SIGNING_RSA_BITS: z.coerce
    .number()
    .pipe(z.union([z.literal(2048), z.literal(3072), z.literal(4096)]))
    .default(2048)
    .describe('RSA size of generated keys (2048, 3072 or 4096)'),
  KEY_ROTATION_DAYS: z.coerce
    .number()
    .min(0)
    .max(365)
    .default(30)
    .describe('Managed keys: how long a key signs (`0`: only on `POST /v1/admin/keys/rotate`)'),
  JWKS_MAX_AGE: seconds(300, 86_400).describe(
    '`Cache-Control: max-age` of the JWKS, in seconds; a new key is published at least this long (plus 5 s) before it signs',
  ),
  TOKEN_MAX_LIFETIME: seconds(3600, 86_400).describe(
    'Longest lifetime, in seconds, a template may give a bridge-signed token; a retired key stays published this long plus `JWKS_MAX_AGE`',
  ),
  MINT_PER_USER: count(60).describe(
    'Tokens a user may mint per `MINT_WINDOW` (429 with `Retry-After` beyond)',
  ),
  MINT_PER_IP: count(600).describe('Tokens a client address may mint per `MINT_WINDOW`'),
  DATA_PER_USER: count(600).describe('Data requests a user may make per `DATA_WINDOW`'),
  DATA_PER_IP: count(3000).describe('Data requests a client address may make per `DATA_WINDOW`'),
  DATA_WINDOW: seconds(60, 86_400).describe('Window of the data budgets, in seconds'),
  MINT_WINDOW: seconds(60, 86_400).describe('Window of the minting budgets, in seconds'),
  CURSOR_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters of random data' })
    .optional()
    .describe(
      'Secret that authenticates data-list cursors, shared by every instance. Default: derived from the key-encryption key or the signing keys (a per-process random key in development without keys)',
    ),
  ADMIN_API_KEY: z
    .string()
    .min(32, { message: 'must be at least 32 characters of random data' })
    .optional()
    .describe(
      'Secret, ≥ 32 characters: lets a trusted backend call `/v1/admin/*`. Unset: admin routes refuse',
    ),

  METRICS_TOKEN: z
    .string()
    .min(32, { message: 'must be at least 32 characters of random data' })
    .optional()
    .describe(
      'Secret, ≥ 32 characters: serves `GET /metrics` (Prometheus text, Node) to `Authorization: Bearer <token>`. Unset: 404',
    ),

  UPSTREAM_ISSUERS: jsonVariable(z.array(issuerSchema))
    .optional()
    .describe('JSON list of identity providers whose JWTs sign users in (see the README)'),
  UPSTREAM_COOKIE_NAME: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/)
    .default('__session')
    .describe("Cookie that may carry an upstream JWT (Clerk's name)"),
  JWKS_TIMEOUT_MS: count(3000, 30_000).describe('Timeout of upstream JWKS and discovery fetches'),
  JWKS_COOLDOWN_SECONDS: seconds(30, 3600).describe(
    'Minimum time between JWKS refetches for an unknown `kid`',
  ),
  MAX_TOKEN_BYTES: count(8192, 65_536).describe('Largest upstream token accepted'),
  UPSTREAM_MAX_TOKEN_LIFETIME: seconds(86_400, 30 * 86_400).describe(
    'Longest lifetime (exp − iat) of an upstream token accepted; revocations by an admin or an identity provider are remembered this long',
  ),

  SESSION_IDLE_TIMEOUT: seconds(30 * 60).describe(
    'Sliding idle lifetime of a session, in seconds (OWASP/NIST default)',
  ),
  SESSION_ABSOLUTE_TIMEOUT: seconds(12 * 60 * 60).describe(
    'Absolute lifetime of a session, in seconds',
  ),
  SESSION_ROTATION_GRACE: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(30)
    .describe('Seconds the old secret keeps working after `POST /v1/sessions/refresh`'),
  SESSION_MAX_PER_USER: count(10, 1000).describe(
    'The oldest session of a user is evicted beyond this',
  ),
  SESSION_CREATE_PER_USER: count(10).describe(
    'Sign-ins a user may make per `SESSION_CREATE_WINDOW`',
  ),
  SESSION_CREATE_PER_IP: count(30).describe(
    'Sign-ins a client address may make per `SESSION_CREATE_WINDOW`',
  ),
  SESSION_CREATE_WINDOW: seconds(60, 86_400).describe('Window of the sign-in budgets, in seconds'),
  AUTH_FAILURE_LIMIT: count(20).describe(
    'Failed authentications per client address in `AUTH_FAILURE_WINDOW` before 429',
  ),
  AUTH_FAILURE_WINDOW: seconds(300, 86_400).describe('Window of the failure count, in seconds'),
})

export type ParsedEnv = z.output<typeof envSchema>
