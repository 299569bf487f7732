import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64url } from 'jose'

/** Session secrets carry a prefix so secret scanners and the auth code can recognise them. */
export const SESSION_SECRET_PREFIX = 'bks_'
const SECRET_BYTES = 32 // 256 bits from the CSPRNG (SECURITY.md, "Sessions")
const SECRET_SHAPE = /^bks_[A-Za-z0-9_-]{43}$/

/** A new session secret: 256 random bits, no personal data. */
export function newSessionSecret(): string {
  return (
    SESSION_SECRET_PREFIX + base64url.encode(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))
  )
}

export function isSessionSecretShape(value: string): boolean {
  return SECRET_SHAPE.test(value)
}

/**
 * What the store keeps instead of the secret: its SHA-256, base64url. Computed synchronously in
 * JavaScript (@noble/hashes): for a 47-byte secret that costs a few microseconds, where a
 * WebCrypto digest costs a round trip through the runtime's crypto job queue on every request.
 */
export async function hashSecret(secret: string): Promise<string> {
  return Promise.resolve(base64url.encode(sha256(utf8ToBytes(secret))))
}

/** Compares two secrets in constant time (by comparing their digests). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([hashSecret(a), hashSecret(b)])
  let difference = 0
  for (let i = 0; i < x.length; i++) difference |= x.charCodeAt(i) ^ y.charCodeAt(i)
  return difference === 0 && x.length === y.length
}
