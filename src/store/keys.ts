/** Every storage key the engine uses, built in one place. `prefix` comes from STORE_KEY_PREFIX. */
export const storeKeys = (prefix: string) => ({
  session: (id: string) => `${prefix}s:${id}`,
  secret: (hash: string) => `${prefix}sh:${hash}`,
  userSessions: (userKey: string) => `${prefix}su:${userKey}`,
  limit: (name: string) => `${prefix}l:${name}`,
  kv: (name: string) => `${prefix}kv:${name}`,
})
