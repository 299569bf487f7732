import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
const encoder = new TextEncoder()

/**
 * An HMAC-SHA-256 key for one purpose, derived with HKDF (RFC 5869) from key material every
 * instance shares, so one secret can serve several uses without one use's key opening another.
 * Without material (development with nothing configured) the key is random, per process.
 */
export async function derivedHmacKey(
  material: string | undefined,
  purpose: string,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const bytes = material ? encoder.encode(material) : crypto.getRandomValues(new Uint8Array(32))
  const base = await crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(), info: encoder.encode(purpose) },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    usages,
  )
}

/**
 * The same HKDF-derived HMAC-SHA-256 key as `derivedHmacKey`, as a synchronous function in
 * JavaScript (@noble/hashes): for the short inputs of a hot path (a cursor on every list) it costs
 * microseconds, where a WebCrypto call costs a trip through the runtime's crypto job queue.
 */
export function derivedHmac(
  material: string | undefined,
  purpose: string,
): (data: Uint8Array) => Uint8Array {
  const bytes = material ? encoder.encode(material) : crypto.getRandomValues(new Uint8Array(32))
  const key = hkdf(sha256, bytes, new Uint8Array(), encoder.encode(purpose), 32)
  return (data) => hmac(sha256, key, data)
}
