import { z } from 'zod'

/**
 * Every environment variable (or Workers binding) the bridge reads, with its default.
 * Messages never include the value: some of these are secrets.
 */
const seconds = (fallback: number, max = 31_536_000) =>
  z.coerce.number().int().min(1).max(max).default(fallback)
const count = (fallback: number, max = 1_000_000) => z.coerce.number().int().min(1).max(max).default(fallback)

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
  { message: 'each origin must be exact, like https://app.example.com (no path, no wildcard, not "null")' },
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
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    algorithms: z.array(z.enum(ASYMMETRIC_ALGORITHMS)).min(1).default(['RS256', 'ES256']),
    clockSkewSeconds: z.number().int().min(0).max(60).default(5),
    authorizedParties: z.array(z.string().min(1)).optional(),
    claims: z
      .object({
        email: z.string().default('email'),
        emailVerified: z.string().default('email_verified'),
        roles: z.string().default('roles'),
        org: z.string().default('org_id'),
      })
      .prefault({}),
  })
  .strict()
export type IssuerConfig = z.output<typeof issuerSchema>

export const envSchema = z.object({
  BRIDGE_MODE: z.enum(['development', 'production']).optional(),
  NODE_ENV: z.string().optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALLOWED_ORIGINS: csv(origin).optional(),
  TRUST_PROXY: z.enum(['none', 'x-forwarded-for', 'cf-connecting-ip']).optional(),
  BODY_LIMIT_BYTES: count(64 * 1024, 10 * 1024 * 1024),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),


  SIGNING_KEYS: jsonVariable(
    z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }, {
      message: 'must be a JWK set: {"keys":[…]} with private keys',
    }),
  ).optional(),
  SIGNING_KEYS_PEM: z
    .string()
    .refine((value) => value.includes('-----BEGIN PRIVATE KEY-----'), {
      message: 'must hold one or more PKCS#8 PEM blocks (-----BEGIN PRIVATE KEY-----)',
    })
    .optional(),
  KEY_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, { message: 'must be 32 random bytes, base64url-encoded (43 characters)' })
    .optional(),
  SIGNING_ALG: z.enum(['RS256', 'ES256', 'EdDSA']).default('RS256'),
  SIGNING_RSA_BITS: z.coerce.number().pipe(z.union([z.literal(2048), z.literal(3072), z.literal(4096)])).default(2048),
  KEY_ROTATION_DAYS: z.coerce.number().min(0).max(365).default(30),
  JWKS_MAX_AGE: seconds(300, 86_400),
  TOKEN_MAX_LIFETIME: seconds(3600, 86_400),
  MINT_PER_USER: count(60),
  MINT_PER_IP: count(600),
  DATA_PER_USER: count(600),
  DATA_PER_IP: count(3000),
  DATA_WINDOW: seconds(60, 86_400),
  MINT_WINDOW: seconds(60, 86_400),
  ADMIN_API_KEY: z
    .string()
    .min(32, { message: 'must be at least 32 characters of random data' })
    .optional(),

  UPSTREAM_ISSUERS: jsonVariable(z.array(issuerSchema)).optional(),
  UPSTREAM_COOKIE_NAME: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/).default('__session'),
  JWKS_TIMEOUT_MS: count(3000, 30_000),
  JWKS_COOLDOWN_SECONDS: seconds(30, 3600),
  MAX_TOKEN_BYTES: count(8192, 65_536),

  SESSION_IDLE_TIMEOUT: seconds(30 * 60),
  SESSION_ABSOLUTE_TIMEOUT: seconds(12 * 60 * 60),
  SESSION_ROTATION_GRACE: z.coerce.number().int().min(0).max(300).default(30),
  SESSION_MAX_PER_USER: count(10, 1000),
  SESSION_CREATE_PER_USER: count(10),
  SESSION_CREATE_PER_IP: count(30),
  SESSION_CREATE_WINDOW: seconds(60, 86_400),
  AUTH_FAILURE_LIMIT: count(20),
  AUTH_FAILURE_WINDOW: seconds(300, 86_400),
})

export type ParsedEnv = z.output<typeof envSchema>

