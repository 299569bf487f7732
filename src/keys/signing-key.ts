import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose'
import { newId } from '../ids/prefixed-id'

const SIGNING_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number]

/** A private key the bridge signs with, imported once per isolate. */
export type SigningKey = {
  kid: string
  alg: SigningAlgorithm
  privateKey: CryptoKey
  /** What the JWKS publishes: public members only, plus kid, alg and use. */
  publicJwk: JWK
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y'] as const

/** The public half of a JWK with `kid`, `alg` and `use: "sig"` (SECURITY.md, "Signing keys and the JWKS"). */
export function publicJwkOf(jwk: JWK, kid = String(jwk.kid), alg = jwk.alg): JWK {
  const out: JWK = { kid, alg, use: 'sig' }
  for (const member of PUBLIC_MEMBERS) if (jwk[member] !== undefined) out[member] = jwk[member]
  return out
}

/** Imports a private JWK that carries `kid` and `alg`. Throws a message without key material. */
export async function importSigningKey(jwk: JWK): Promise<SigningKey> {
  const alg = jwk.alg
  if (!isSigningAlgorithm(alg))
    throw new Error(`key ${String(jwk.kid)}: alg must be one of ${SIGNING_ALGORITHMS.join(', ')}`)
  if (typeof jwk.kid !== 'string' || jwk.kid.length === 0)
    throw new Error('every signing key needs a kid')
  if (jwk.d === undefined) throw new Error(`key ${jwk.kid}: a private key is required`)
  if (jwk.kty === 'RSA' && base64UrlBits(jwk.n) < 2048)
    throw new Error(`key ${jwk.kid}: RSA keys must be at least 2048 bits`)
  const privateKey = await importJWK(jwk, alg)
  if (privateKey instanceof Uint8Array)
    throw new Error(`key ${jwk.kid}: symmetric keys are not allowed`)
  return { kid: jwk.kid, alg, privateKey, publicJwk: publicJwkOf(jwk, jwk.kid, alg) }
}

/** Generates a new private JWK (extractable, so it can be kept) with a fresh `key_…` kid. */
export async function generateSigningJwk(
  alg: SigningAlgorithm = 'RS256',
  modulusLength = 2048,
): Promise<JWK> {
  const options =
    alg === 'RS256'
      ? { extractable: true, modulusLength }
      : alg === 'EdDSA'
        ? { extractable: true, crv: 'Ed25519' }
        : { extractable: true }
  const { privateKey } = await generateKeyPair(alg, options)
  const jwk = await exportJWK(privateKey)
  return { ...jwk, kid: newId('key'), alg, use: 'sig' }
}

function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(value)
}

function base64UrlBits(value: string | undefined): number {
  if (!value) return 0
  const bytes = Math.floor((value.replace(/=+$/, '').length * 3) / 4)
  return bytes * 8
}
