/**
 * A Hasura-like caller of an auth webhook, following Hasura's documented contract
 * (https://hasura.io/docs/latest/auth/authentication/webhook/):
 * - GET mode forwards the client's headers, except Content-Length, Content-Type, Content-MD5,
 *   User-Agent, Host, Origin, Referer, Accept, Accept-Encoding, Accept-Language, Accept-Datetime,
 *   Cache-Control, Connection and DNT;
 * - POST mode sends `{"headers": {…every client header}, "request": {…the GraphQL request}}`;
 * - 200 with a JSON object of string session variables allows the request, and its
 *   `Cache-Control: max-age` (in the body, or as a header) says how long Hasura may reuse it;
 *   401 denies; any other answer is an error (Hasura answers its client 500).
 */
const NOT_FORWARDED = new Set([
  'content-length',
  'content-type',
  'content-md5',
  'user-agent',
  'host',
  'origin',
  'referer',
  'accept',
  'accept-encoding',
  'accept-language',
  'accept-datetime',
  'cache-control',
  'connection',
  'dnt',
])

export type HookOutcome =
  | { allowed: true; variables: Record<string, string>; maxAgeSeconds: number | undefined }
  | { allowed: false; status: 401 }

export async function callAuthHook(
  hookUrl: string,
  mode: 'GET' | 'POST',
  clientHeaders: Record<string, string>,
  graphqlRequest: unknown = { query: '{ posts { id } }' },
): Promise<HookOutcome> {
  const response =
    mode === 'GET'
      ? await fetch(hookUrl, {
          headers: Object.fromEntries(
            Object.entries(clientHeaders).filter(
              ([name]) => !NOT_FORWARDED.has(name.toLowerCase()),
            ),
          ),
        })
      : await fetch(hookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ headers: clientHeaders, request: graphqlRequest }),
        })
  if (response.status === 401) return { allowed: false, status: 401 }
  if (response.status !== 200)
    throw new Error(`the auth hook answered ${response.status}: Hasura would answer 500`)
  const body = (await response.json()) as Record<string, unknown>
  const variables: Record<string, string> = {}
  let cacheControl = response.headers.get('cache-control') ?? undefined
  for (const [name, value] of Object.entries(body)) {
    if (name.toLowerCase() === 'cache-control') {
      cacheControl = String(value)
      continue
    }
    if (typeof value !== 'string') throw new Error(`session variable ${name} is not a string`)
    variables[name.toLowerCase()] = value
  }
  if (variables['x-hasura-role'] === undefined) throw new Error('no x-hasura-role')
  const maxAge = /max-age=(\d+)/.exec(cacheControl ?? '')?.[1]
  return {
    allowed: true,
    variables,
    maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
  }
}
