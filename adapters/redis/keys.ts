import { shardOfSecretHash, shardOfSessionId, userShard } from '../../src/store/shard'

/**
 * Every Redis key, built in one place. `prefix` comes from STORE_KEY_PREFIX. Keys a script uses
 * together share a hash tag (`{…}`): a session, its secrets and its user's index share the
 * user's shard (src/store/shard.ts); the two windows of a sliding counter share the counter's
 * name.
 */
export const redisKeys = (prefix: string) => ({
  /** The keys of one shard's sessions, as prefixes a script appends ids, hashes or users to. */
  shard: (shard: string) => ({
    session: `${prefix}{${shard}}s:`,
    secret: `${prefix}{${shard}}sh:`,
    user: `${prefix}{${shard}}su:`,
  }),
  session: (id: string) => `${prefix}{${shardOfSessionId(id)}}s:${id}`,
  secret: (hash: string) => `${prefix}{${shardOfSecretHash(hash)}}sh:${hash}`,
  userSessions: (userKey: string) => `${prefix}{${userShard(userKey)}}su:${userKey}`,
  /** A "not before" record of a user (scope `''`) or of one of their upstream sessions. */
  notBefore: (userKey: string, scope: string) =>
    `${prefix}{${userShard(userKey)}}nb:${userKey}#${scope}`,
  /** A counter window or a token bucket; `window` tells the two windows of a counter apart. */
  limit: (name: string, window?: number) =>
    `${prefix}l:{${name}}${window === undefined ? '' : `:${window}`}`,
  /** One key, never used with another in a command: no tag (managed signing keys live here). */
  kv: (name: string) => `${prefix}kv:${name}`,
})
