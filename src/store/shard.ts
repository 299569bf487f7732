import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * The shard scheme, in one place. A user's shard is 4 hex digits of SHA-256(userKey); every
 * session of the user lives in it. Session ids end with `_<shard>`, stored secret hashes start
 * with `<shard>.`, and session secrets carry it after their prefix (sessions/secret.ts), so a
 * store finds a session's shard from its id, its secret or its user alone: on Redis it is the
 * hash tag of the session's keys (one cluster slot per script), on Workers the Durable Object.
 */
export const SHARD_LENGTH = 4
/** Where ids and hashes made without a shard live. */
const DEFAULT_SHARD = '0000'

export function userShard(userKey: string): string {
  return bytesToHex(sha256(utf8ToBytes(userKey)).subarray(0, 2))
}

/** A session id in `shard`. */
export function sessionIdIn(shard: string, id: string): string {
  return `${id}_${shard}`
}

/** The shard a session id ends with (ids from elsewhere, without one, share shard `0000`). */
export function shardOfSessionId(id: string): string {
  const match = /_([0-9a-f]{4})$/.exec(id)
  return match?.[1] ?? DEFAULT_SHARD
}

/** A stored secret hash in `shard`: `<shard>.<digest>`. */
export function secretHashIn(shard: string, digest: string): string {
  return `${shard}.${digest}`
}

/** The shard a stored secret hash starts with. */
export function shardOfSecretHash(hash: string): string {
  const dot = hash.indexOf('.')
  return dot > 0 && dot <= 8 ? hash.slice(0, dot) : DEFAULT_SHARD
}
