import { importPKCS8, type CryptoKey } from 'jose'
import { AppError } from '../../src/errors/app-error'
import type { Principal } from '../../src/identity/principal'
import { renderClaims, shortcodeProblems, type ClaimSpec } from '../../src/tokens/shortcodes'
import type { TokenTemplate } from '../../src/tokens/template'
import type { ServiceAccount } from './service-account'

/** https://firebase.google.com/docs/auth/admin/create-custom-tokens#create_custom_tokens_using_a_third-party_jwt_library */
export const FIREBASE_AUDIENCE =
  'https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit'
const FIREBASE_MAX_LIFETIME_SECONDS = 3600
const FIREBASE_MAX_UID_LENGTH = 128
const FIREBASE_MAX_CLAIMS_LENGTH = 1000
/** Rejected developer-claim names (firebase-admin's list plus `sub` and `firebase`, which the Auth emulator rejects). */
const FIREBASE_RESERVED_CLAIMS = [
  'acr',
  'amr',
  'at_hash',
  'aud',
  'auth_time',
  'azp',
  'cnf',
  'c_hash',
  'exp',
  'iat',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'sub',
  'firebase',
] as const

export type FirebaseTemplateOptions = {
  name?: string
  serviceAccount: ServiceAccount | undefined
  /** Seconds the custom token may be exchanged (≤ 3600). It does not limit the Firebase session. */
  lifetimeSeconds?: number
  tenantId?: string
  /** The Firebase uid; defaults to the principal's userId. */
  uid?: (principal: Principal) => string
  /** Developer claims; they appear as top-level claims in the user's Firebase ID token. */
  claims?: Record<string, ClaimSpec>
  allow?: (principal: Principal) => boolean
}

/** Why developer claims can't be used, or null. */
function firebaseClaimsProblem(claims: Record<string, unknown>): string | null {
  const reserved = Object.keys(claims).filter((k) =>
    (FIREBASE_RESERVED_CLAIMS as readonly string[]).includes(k),
  )
  if (reserved.length > 0) return `reserved claim names: ${reserved.join(', ')}`
  if (JSON.stringify(claims).length > FIREBASE_MAX_CLAIMS_LENGTH)
    return `claims exceed ${FIREBASE_MAX_CLAIMS_LENGTH} characters`
  return null
}

/**
 * Firebase custom tokens for `signInWithCustomToken`, signed by the bridge's JWS signer (WebCrypto,
 * or node:crypto on Node; firebase-admin can't run on Workers, and re-reads the PEM per token). Header `{alg: RS256, typ: JWT}`, claims in firebase-admin's order,
 * signed with the service account's key (docs/providers.md, Firebase).
 */
export function defineFirebaseTemplate(options: FirebaseTemplateOptions): TokenTemplate {
  const lifetime = options.lifetimeSeconds ?? 300
  const claimsSpec = options.claims ?? {}
  let key: Promise<CryptoKey> | undefined
  const signingKey = (account: ServiceAccount) =>
    (key ??= importPKCS8(account.private_key, 'RS256'))

  return {
    name: options.name ?? 'firebase',
    allow: options.allow,
    problems() {
      const problems = shortcodeProblems(claimsSpec)
      if (lifetime < 1 || lifetime > FIREBASE_MAX_LIFETIME_SECONDS)
        problems.push('lifetimeSeconds must be 1-3600')
      const staticClaims = Object.fromEntries(
        Object.entries(claimsSpec).filter(
          ([, v]) => typeof v !== 'function' && !(typeof v === 'string' && v.includes('{{')),
        ),
      )
      const problem = firebaseClaimsProblem(
        Object.fromEntries(Object.keys(claimsSpec).map((k) => [k, staticClaims[k] ?? null])),
      )
      if (problem) problems.push(problem)
      return problems
    },
    async mint(context) {
      const account = options.serviceAccount
      if (!account) {
        throw new AppError('not_configured', {
          detail:
            'Firebase is not configured: set FIREBASE_SERVICE_ACCOUNT to the service-account JSON of your Firebase project.',
        })
      }
      const uid = options.uid ? options.uid(context.principal) : context.principal.userId
      if (typeof uid !== 'string' || uid.length < 1 || uid.length > FIREBASE_MAX_UID_LENGTH) {
        throw new AppError('validation_failed', {
          detail: `A Firebase uid must be 1-${FIREBASE_MAX_UID_LENGTH} characters; this user's id can't be used.`,
          reason: 'firebase_uid_length',
        })
      }
      const claims = renderClaims(claimsSpec, context.principal) as Record<string, unknown>
      const problem = firebaseClaimsProblem(claims)
      if (problem)
        throw new AppError('validation_failed', {
          detail: `Firebase developer claims: ${problem}.`,
          reason: 'firebase_claims',
        })

      const iat = Math.floor(context.now / 1000)
      const exp = Math.min(iat + lifetime, Math.floor(context.principal.expiresAt / 1000))
      if (exp <= iat) throw new AppError('invalid_token', { reason: 'credential_expiring' })
      // Same members, same order as firebase-admin's createCustomToken.
      const body: Record<string, unknown> = {
        aud: FIREBASE_AUDIENCE,
        iat,
        exp,
        iss: account.client_email,
        sub: account.client_email,
        uid,
      }
      const tenantId = options.tenantId
      if (tenantId) body.tenant_id = tenantId
      if (Object.keys(claims).length > 0) body.claims = claims
      const token = await context.sign({ alg: 'RS256', typ: 'JWT' }, body, {
        alg: 'RS256',
        privateKey: await signingKey(account),
      })
      return {
        token,
        expiresAt: exp * 1000,
        audit: { kid: undefined, jti: undefined, aud: FIREBASE_AUDIENCE, sub: uid },
      }
    },
  }
}
