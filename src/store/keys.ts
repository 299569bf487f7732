import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * A user's shard: 4 hex digits of SHA-256(userKey). Every session of a user lives in it: session
 * ids end with `_<shard>` and stored secret hashes start with `<shard>.`, so a store can tell a
 * session's shard from its id, its secret or its user alone. On Redis it is the hash tag of
 * every key of those sessions, so each session script runs on one cluster slot.
 */
export function userShard(userKey: string): string {
  return bytesToHex(sha256(utf8ToBytes(userKey)).subarray(0, 2))
}

/** The shard a session id ends with (ids from elsewhere, without one, share shard `0000`). */
export function shardOfSessionId(id: string): string {
  const match = /_([0-9a-f]{4})$/.exec(id)
  return match?.[1] ?? '0000'
}

/** The shard a stored secret hash starts with (`<shard>.<digest>`). */
export function shardOfSecretHash(hash: string): string {
  const dot = hash.indexOf('.')
  return dot > 0 && dot <= 8 ? hash.slice(0, dot) : '0000'
}

/**
 * Every storage key, built in one place. `prefix` comes from STORE_KEY_PREFIX. Keys a script
 * uses together share a hash tag (`{…}`): a session, its secrets and its user's index share the
 * user's shard; the two windows of a sliding counter share the counter's name.
 */
export const storeKeys = (prefix: string) => ({
  /** The keys of one shard's sessions, as prefixes a script appends ids, hashes or users to. */
  shard: (shard: string) => ({
    session: `${prefix}{${shard}}s:`,
    secret: `${prefix}{${shard}}sh:`,
    user: `${prefix}{${shard}}su:`,
  }),
  session: (id: string) => `${prefix}{${shardOfSessionId(id)}}s:${id}`,
  secret: (hash: string) => `${prefix}{${shardOfSecretHash(hash)}}sh:${hash}`,
  userSessions: (userKey: string) => `${prefix}{${userShard(userKey)}}su:${userKey}`,
  /** A counter window or a token bucket; `window` tells the two windows of a counter apart. */
  limit: (name: string, window?: number) =>
    `${prefix}l:{${name}}${window === undefined ? '' : `:${window}`}`,
  /** One key, never used with another in a command: no tag (managed signing keys live here). */
  kv: (name: string) => `${prefix}kv:${name}`,
})
