import { base64url, CompactEncrypt, compactDecrypt, type JWK } from 'jose'

/**
 * Private keys kept in a shared store are encrypted with KEY_ENCRYPTION_KEY (32 bytes,
 * base64url): JWE compact, `dir` + A256GCM. The store alone never holds a usable private key.
 */
export function parseKeyEncryptionKey(value: string): Uint8Array {
  const bytes = base64url.decode(value)
  if (bytes.length !== 32) throw new Error('KEY_ENCRYPTION_KEY must be 32 bytes, base64url-encoded')
  return bytes
}

export async function encryptJwk(jwk: JWK, kek: Uint8Array, kid: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid })
    .encrypt(kek)
}

export async function decryptJwk(jwe: string, kek: Uint8Array): Promise<JWK> {
  const { plaintext } = await compactDecrypt(jwe, kek, {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  })
  return JSON.parse(new TextDecoder().decode(plaintext)) as JWK
}
