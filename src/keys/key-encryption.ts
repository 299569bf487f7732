import { base64url, CompactEncrypt, compactDecrypt, decodeProtectedHeader, type JWK } from 'jose'

/**
 * Private keys kept in a shared store are encrypted with a key-encryption key (32 bytes,
 * base64url): JWE compact, `dir` + A256GCM. The store alone never holds a usable private key.
 * Several KEKs may be configured while one is being replaced: the first encrypts, any decrypts.
 * Each JWE names its KEK by a short fingerprint (`kek` header), so the right one is tried first
 * and keys still wrapped with an old one are found and re-wrapped.
 */
export type KeyEncryptionKey = { id: string; bytes: Uint8Array }

export async function parseKeyEncryptionKey(value: string): Promise<KeyEncryptionKey> {
  const bytes = base64url.decode(value)
  if (bytes.length !== 32)
    throw new Error('a key-encryption key must be 32 bytes, base64url-encoded')
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)))
  return { id: base64url.encode(digest).slice(0, 12), bytes }
}

export async function encryptJwk(jwk: JWK, kek: KeyEncryptionKey, kid: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid, kek: kek.id })
    .encrypt(kek.bytes)
}

/** Which KEK wrapped a JWE, when it says (keys wrapped before fingerprints existed don't). */
export function wrappingKekId(jwe: string): string | undefined {
  try {
    const kek = decodeProtectedHeader(jwe).kek
    return typeof kek === 'string' ? kek : undefined
  } catch {
    return undefined
  }
}

/** Decrypts with the KEK the JWE names, else with each configured one; null when none can. */
export async function decryptJwk(jwe: string, keks: KeyEncryptionKey[]): Promise<JWK | null> {
  const named = wrappingKekId(jwe)
  const ordered = [...keks.filter((k) => k.id === named), ...keks.filter((k) => k.id !== named)]
  for (const kek of ordered) {
    try {
      const { plaintext } = await compactDecrypt(jwe, kek.bytes, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      })
      return JSON.parse(new TextDecoder().decode(plaintext)) as JWK
    } catch {
      // not this KEK: try the next
    }
  }
  return null
}
