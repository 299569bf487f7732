import { base64url, type CryptoKey } from 'jose'
import type { SigningAlgorithm } from './signing-key'

/** The raw signature of a JWS signing input with a private key. */
export type SignatureFunction = (
  alg: SigningAlgorithm,
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
) => Promise<Uint8Array>

const WEB_CRYPTO_PARAMS = {
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
} as const

/** WebCrypto: what every runtime has. The Node entry injects node:crypto instead. */
export const webCryptoSignature: SignatureFunction = async (alg, key, data) =>
  new Uint8Array(await crypto.subtle.sign(WEB_CRYPTO_PARAMS[alg], key, data))

type JwsKey = { alg: SigningAlgorithm; privateKey: CryptoKey }

/**
 * Signs a compact JWS (RFC 7515): base64url(JSON(header)).base64url(JSON(payload)).signature,
 * members in the order given, exactly as jose's SignJWT writes them. The header must name the
 * key's algorithm.
 */
export type JwsSigner = (
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
  key: JwsKey,
) => Promise<string>

export function jwsSigner(signature: SignatureFunction = webCryptoSignature): JwsSigner {
  const encoder = new TextEncoder()
  return async (header, payload, key) => {
    if (header.alg !== key.alg) throw new Error(`the JWS header must name ${key.alg}`)
    const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`
    const signed = await signature(key.alg, key.privateKey, encoder.encode(input))
    return `${input}.${base64url.encode(signed)}`
  }
}
