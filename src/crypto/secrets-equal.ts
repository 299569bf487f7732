import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * Compares two secrets in constant time: their SHA-256 digests are compared byte by byte, so
 * neither the length nor the first differing position of the secret shows in the timing.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = [sha256(utf8ToBytes(a)), sha256(utf8ToBytes(b))]
  let difference = 0
  for (let i = 0; i < x.length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0)
  return Promise.resolve(difference === 0)
}
