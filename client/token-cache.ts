/** A cached token and when it stops being usable, on this machine's clock. */
export type CachedToken = { token: string; expiresAt: number; issuedAt: number }

type Entry = { value: CachedToken | undefined; pending: Promise<CachedToken> | undefined }

/**
 * Tokens per (template, organization), for the signed-in session (the cache is cleared when the
 * session changes). A token's life is its own (`expiresIn` from the bridge, counted from when the
 * answer arrived), never "since it was cached". A refresh starts once a token is within twice the
 * leeway of expiry, while callers keep getting it; within the leeway, callers wait for the new
 * one. Concurrent callers share one request, also when they skip the cache.
 */
export function createTokenCache(deps: {
  now: () => number
  leewayMs: number
  fetchToken: (template: string, orgId: string | undefined) => Promise<CachedToken>
  onFresh: (key: string, token: CachedToken) => void
}) {
  const entries = new Map<string, Entry>()
  const keyOf = (template: string, orgId: string | undefined) => `${template}|${orgId ?? ''}`

  function refresh(key: string, entry: Entry, template: string, orgId: string | undefined) {
    entry.pending ??= deps
      .fetchToken(template, orgId)
      .then((token) => {
        // Replaced only on success; a failure leaves the previous token until it expires.
        if (entries.get(key) === entry) entry.value = token
        deps.onFresh(key, token)
        return token
      })
      .finally(() => {
        entry.pending = undefined
      })
    return entry.pending
  }

  return {
    async get(template: string, orgId: string | undefined, skipCache: boolean): Promise<string> {
      const key = keyOf(template, orgId)
      let entry = entries.get(key)
      if (!entry) {
        entry = { value: undefined, pending: undefined }
        entries.set(key, entry)
      }
      const left = entry.value ? entry.value.expiresAt - deps.now() : -Infinity
      if (skipCache || left <= deps.leewayMs)
        return (await refresh(key, entry, template, orgId)).token
      if (left <= 2 * deps.leewayMs)
        void refresh(key, entry, template, orgId).catch(() => undefined)
      return entry.value?.token ?? (await refresh(key, entry, template, orgId)).token
    },

    /** A token another tab fetched: kept when it is newer than ours. */
    offer(key: string, token: CachedToken) {
      const entry = entries.get(key) ?? { value: undefined, pending: undefined }
      if (!entry.value || token.issuedAt > entry.value.issuedAt) entry.value = token
      entries.set(key, entry)
    },

    clear() {
      entries.clear()
    },
  }
}
