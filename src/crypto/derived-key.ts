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
