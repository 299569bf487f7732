/** The part of the bridge client the helpers use. */
type TokenSource = {
  getToken(template: string, options?: { skipCache?: boolean }): Promise<string>
}

/**
 * For supabase-js with third-party auth: the `accessToken` option of `createClient`, which
 * supabase-js calls before each request (and the Realtime client on connect) for the current
 * token. `createClient(url, anonKey, { accessToken: supabaseAccessToken(bridge) })`.
 */
export function supabaseAccessToken(
  client: TokenSource,
  options: { template?: string } = {},
): () => Promise<string> {
  const template = options.template ?? 'supabase'
  return () => client.getToken(template)
}

/**
 * For Convex: the fetcher `ConvexClient.setAuth` (and `ConvexReactClient.setAuth`) takes. Convex
 * calls it with `forceRefreshToken: true` when the server refused the last token; the bridge then
 * mints a fresh one instead of handing out the cached one. `convex.setAuth(convexAuth(bridge))`.
 */
export function convexAuth(
  client: TokenSource,
  options: { template?: string } = {},
): (args: { forceRefreshToken: boolean }) => Promise<string | null> {
  const template = options.template ?? 'convex'
  return async ({ forceRefreshToken }) => {
    try {
      return await client.getToken(template, { skipCache: forceRefreshToken })
    } catch {
      // Convex treats null as "signed out" and stops asking until setAuth is called again.
      return null
    }
  }
}
