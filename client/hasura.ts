/** The part of the bridge client the helper uses. */
type TokenSource = {
  getToken(template: string, options?: { skipCache?: boolean }): Promise<string>
}

/**
 * For Hasura clients (Apollo, urql, graphql-ws, plain fetch): the Authorization header from the
 * bridge's `hasura` token, and a fetch that retries once with a fresh token when Hasura answers
 * `invalid-jwt` (an expired or rotated-away token), as Hasura's own docs advise clients to.
 */
export function hasuraAuth(client: TokenSource, options: { template?: string } = {}) {
  const template = options.template ?? 'hasura'
  const headers = async (skipCache = false) => ({
    Authorization: `Bearer ${await client.getToken(template, { skipCache })}`,
  })
  return {
    /** Headers for a request (or a graphql-ws `connectionParams`). */
    headers: () => headers(),
    async fetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
      const send = async (skipCache: boolean) =>
        fetch(input, {
          ...init,
          headers: {
            ...Object.fromEntries(new Headers(init.headers)),
            ...(await headers(skipCache)),
          },
        })
      const response = await send(false)
      return (await isInvalidJwt(response.clone())) ? send(true) : response
    },
  }
}

/** Hasura reports a bad or expired JWT in a GraphQL error whose extensions.code is `invalid-jwt`. */
async function isInvalidJwt(response: Response): Promise<boolean> {
  try {
    const body = (await response.json()) as { errors?: { extensions?: { code?: unknown } }[] }
    return (body.errors ?? []).some((error) => error.extensions?.code === 'invalid-jwt')
  } catch {
    return false
  }
}
