import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64url } from 'jose'
import { secretHashIn, SHARD_LENGTH } from '../store/shard'

/** Session secrets carry a prefix so secret scanners and the auth code can recognise them. */
export const SESSION_SECRET_PREFIX = 'bks_'
const SECRET_BYTES = 32 // 256 bits from the CSPRNG, 234 of them kept (SECURITY.md, "Sessions")
/**
 * After the prefix: the user's shard (4 lowercase hex digits, store/shard.ts), then 39 random
 * characters. A secret with any other shard is refused before the store is asked, so garbage
 * secrets can't reach (or, on Workers, create) arbitrary shards.
 */
const SECRET_SHAPE = /^bks_[0-9a-f]{4}[A-Za-z0-9_-]{39}$/
const RANDOM_LENGTH = 39

/** A new session secret: the shard of its user's sessions, then 234 random bits. */
export function newSessionSecret(shard: string): string {
  const random = base64url.encode(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))
  return withShard(shard, random)
}

/** A secret of `shard` whose random part is (the start of) `random`, a base64url string. */
export function withShard(shard: string, random: string): string {
  return SESSION_SECRET_PREFIX + shard + random.slice(0, RANDOM_LENGTH)
}

/** The shard a secret carries (it routes the lookup; it is not secret). */
export function shardOfSecret(secret: string): string {
  return secret.slice(SESSION_SECRET_PREFIX.length, SESSION_SECRET_PREFIX.length + SHARD_LENGTH)
}

export function isSessionSecretShape(value: string): boolean {
  return SECRET_SHAPE.test(value)
}

/**
 * What the store keeps instead of the secret: `<shard>.<SHA-256, base64url>` (the shard tells a
 * store where the session lives). Computed synchronously in JavaScript (@noble/hashes): for a
 * 47-byte secret that costs a few microseconds, where a WebCrypto digest costs a round trip
 * through the runtime's crypto job queue on every request.
 */
export function hashSecret(secret: string): string {
  return secretHashIn(shardOfSecret(secret), digest(secret))
}

const digest = (value: string) => base64url.encode(sha256(utf8ToBytes(value)))
