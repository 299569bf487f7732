/**
 * bridgekeeper/client: the frontend side of the bridge. Web-standard APIs only (fetch,
 * BroadcastChannel, AbortSignal), no runtime dependency; built to dist/client.js by
 * `npm run build`.
 */
import { BridgeError, problemOf } from './errors.js'
import { createTokenCache, type CachedToken } from './token-cache.js'
import { queryString, type ListQuery } from './query.js'

export { BridgeError } from './errors.js'
export type { ListQuery } from './query.js'

export type BridgeClientOptions = {
  /** The bridge's origin, like https://bridge.example.com. */
  url: string
  /** `include` for cookie sessions across origins (the default); `same-origin` when served with it. */
  credentials?: RequestCredentials
  /** Bearer mode: the identity provider's current token (Clerk's `getToken()`, …). */
  getUpstreamToken?: () => Promise<string | null | undefined>
  /** Seconds of life a token handed out must still have (default 15). */
  leewaySeconds?: number
  /** Attempts for 429, 5xx and network failures (default 4), with growing delays. */
  retries?: number
  /** Tabs share fresh tokens and sign-outs on this BroadcastChannel (default `bridgekeeper`; null: off). */
  channel?: string | null
  fetch?: typeof fetch
  /** The clock, for tests (default Date.now). */
  now?: () => number
}

export type Session = {
  id: string
  createdAt: string
  lastActiveAt: string
  expiresAt: string
  absoluteExpiresAt: string
  userAgent: string | null
  ip: string | null
  current: boolean
}

export type Principal = {
  userId: string
  issuer: string
  email: string | null
  emailVerified: boolean
  roles: string[]
  orgId: string | null
  orgRole: string | null
  sessionId: string | null
  method: 'upstream_jwt' | 'session'
  expiresAt: string
  claims: Record<string, unknown>
}

export type DataRow<F = Record<string, unknown>> = { id: string; fields: F }
export type DataPage<F = Record<string, unknown>> = {
  data: DataRow<F>[]
  nextCursor: string | null
}

/**
 * A deployment's types, as `npx bridgekeeper client-types` writes them from its resources and
 * templates: `createBridgeClient<Bridge>(…)` then knows `data('posts')`'s rows and bodies and
 * the template names `getToken` takes.
 */
export type BridgeSchema = {
  resources: Record<
    string,
    {
      row: Record<string, unknown>
      create: Record<string, unknown>
      update: Record<string, unknown>
    }
  >
  templates: string
}

/** What the policy lets the caller do, from the same code that enforces it (hide what it refuses). */
export type Permissions = {
  resource: string
  id: string | null
  operations: Record<'list' | 'get' | 'create' | 'update' | 'delete', boolean>
  fields: { readable: string[]; creatable: string[]; updatable: string[] }
}

/**
 * What tabs tell each other. A token names the user it was minted for (`issuer|userId`): a tab
 * signed in as someone else (or any script of the origin) can't hand this tab its token.
 */
type Message =
  { type: 'token'; user: string; key: string; entry: CachedToken } | { type: 'signed-out' }

/** A client of one bridge. Create one per page and share it. */
export function createBridgeClient<S extends BridgeSchema = BridgeSchema>(
  options: BridgeClientOptions,
) {
  const base = options.url.replace(/\/+$/, '')
  const fetcher =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  const now = options.now ?? (() => Date.now())
  const attempts = Math.max(1, options.retries ?? 4)
  const listeners = new Set<() => void>()
  const authListeners = new Set<(state: 'signed-in' | 'signed-out') => void>()
  const channel =
    options.channel === null || typeof BroadcastChannel === 'undefined'
      ? undefined
      : new BroadcastChannel(options.channel ?? 'bridgekeeper')
  let sessionSecret: string | undefined
  /** Who this tab is signed in as (`issuer|userId`), asked once per session: /v1/me. */
  let identity: Promise<string> | undefined
  /** Tokens other tabs shared before this tab knew its user: taken once it does, if its own. */
  let heard: Extract<Message, { type: 'token' }>[] = []
  const whoAmI = () => {
    identity ??= request<Principal>('GET', '/v1/me').then((me) => {
      const user = `${me.issuer}|${me.userId}`
      for (const message of heard)
        if (message.user === user) tokens.offer(message.key, message.entry)
      heard = []
      return user
    })
    identity.catch(() => (identity = undefined))
    return identity
  }

  const tokens = createTokenCache({
    now,
    leewayMs: (options.leewaySeconds ?? 15) * 1000,
    fetchToken: (template, orgId) => mint(template, orgId),
    onFresh: (key, entry) => {
      // Shared only once it is known whose it is.
      void whoAmI().then(
        (user) => post({ type: 'token', user, key, entry }),
        () => undefined,
      )
    },
  })

  function post(message: Message) {
    channel?.postMessage(message)
  }

  function signedOut(broadcast: boolean) {
    sessionSecret = undefined
    identity = undefined
    heard = []
    tokens.clear()
    if (broadcast) post({ type: 'signed-out' })
    for (const listener of listeners) listener()
    for (const listener of authListeners) listener('signed-out')
  }

  if (channel) {
    channel.onmessage = (event: MessageEvent<Message>) => {
      const message = event.data
      if (message.type === 'token') {
        // Only a token of this tab's own user, once this tab knows who that is.
        if (!identity) heard = [...heard.slice(-15), message]
        else
          void identity.then(
            (user) => {
              if (user === message.user) tokens.offer(message.key, message.entry)
            },
            () => undefined,
          )
      } else if (message.type === 'signed-out') signedOut(false)
    }
  }

  async function authorization(): Promise<Record<string, string>> {
    if (sessionSecret) return { Authorization: `Bearer ${sessionSecret}` }
    const upstream = await options.getUpstreamToken?.()
    return upstream ? { Authorization: `Bearer ${upstream}` } : {}
  }

  /** One call to the bridge, retried on 429, 5xx and network errors; a 401 signs the client out. */
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let response: Response
      try {
        response = await fetcher(`${base}${path}`, {
          method,
          credentials: options.credentials ?? 'include',
          headers: {
            ...(await authorization()),
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      } catch (error) {
        if (attempt >= attempts)
          throw new BridgeError(0, 'network_error', 'The bridge could not be reached', {
            cause: error,
          })
        await sleep(backoff(attempt))
        continue
      }
      if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T
      const problem = await problemOf(response)
      if (response.status === 401) {
        signedOut(true)
        throw problem
      }
      // 501 (not configured) and 505 won't change by asking again: fail at once.
      const retryable =
        response.status === 429 ||
        (response.status >= 500 && response.status !== 501 && response.status !== 505)
      if (!retryable || attempt >= attempts) throw problem
      await sleep(
        problem.retryAfterSeconds !== undefined
          ? problem.retryAfterSeconds * 1000
          : backoff(attempt),
      )
    }
  }

  async function mint(template: string, orgId: string | undefined): Promise<CachedToken> {
    const body = orgId === undefined ? undefined : { orgId }
    const minted = await request<{ token: string; expiresIn: number }>(
      'POST',
      `/v1/tokens/${encodeURIComponent(template)}`,
      body,
    )
    return {
      token: minted.token,
      expiresAt: now() + minted.expiresIn * 1000,
      issuedAt: issuedAtOf(minted.token),
    }
  }

  function data<R extends keyof S['resources'] & string>(resource: R) {
    type Types = S['resources'][R]
    type Row = DataRow<Types['row']>
    type Query = ListQuery<keyof Types['row'] & string>
    const path = `/v1/data/${encodeURIComponent(resource)}`
    const list = (query: Query = {}) =>
      request<DataPage<Types['row']>>('GET', `${path}${queryString(query)}`)
    return {
      list,
      /** Every row the caller may list, page after page: `for await (const row of …)`. */
      async *iterate(query: Omit<Query, 'cursor'> = {}): AsyncGenerator<Row> {
        let cursor: string | undefined
        do {
          const page = await list({ ...query, cursor })
          yield* page.data
          cursor = page.nextCursor ?? undefined
        } while (cursor)
      },
      get: (id: string) => request<Row>('GET', `${path}/${encodeURIComponent(id)}`),
      create: (fields: Types['create']) => request<Row>('POST', path, fields),
      update: (id: string, fields: Types['update']) =>
        request<Row>('PATCH', `${path}/${encodeURIComponent(id)}`, fields),
      delete: (id: string) => request<void>('DELETE', `${path}/${encodeURIComponent(id)}`),
      /** "Can I?": on the resource (list, create), or on one row (update, delete). */
      permissions: (id?: string) =>
        request<Permissions>(
          'GET',
          id === undefined
            ? `${path}/permissions`
            : `${path}/${encodeURIComponent(id)}/permissions`,
        ),
    }
  }

  return {
    /**
     * A token of `template` (hasura, firebase, …), from the cache while it has more than the
     * leeway left; concurrent callers share one request, also with `skipCache`.
     */
    async getToken(
      template: S['templates'],
      opts: { orgId?: string; skipCache?: boolean } = {},
    ): Promise<string> {
      // Knowing the user first lets this tab take tokens other tabs minted for that user.
      await whoAmI().catch(() => undefined)
      return tokens.get(template, opts.orgId, opts.skipCache ?? false)
    },

    /** Turns the upstream credential into a bridge session (a cookie, or a bearer secret kept in memory). */
    async signIn(): Promise<Session> {
      const transport = options.getUpstreamToken ? 'bearer' : 'cookie'
      sessionSecret = undefined
      const created = await request<{ session: Session; secret?: string }>('POST', '/v1/sessions', {
        transport,
      })
      if (created.secret) sessionSecret = created.secret
      identity = undefined
      tokens.clear()
      for (const listener of authListeners) listener('signed-in')
      return created.session
    },

    /** Ends this session, or every session of the user; every tab hears of it. */
    async signOut(opts: { everywhere?: boolean } = {}): Promise<void> {
      try {
        if (opts.everywhere) await request('DELETE', '/v1/sessions')
        else {
          const me = await request<Principal>('GET', '/v1/me')
          if (me.sessionId)
            await request('DELETE', `/v1/sessions/${encodeURIComponent(me.sessionId)}`)
        }
      } finally {
        signedOut(true)
      }
    },

    me: () => request<Principal>('GET', '/v1/me'),
    sessions: async () => (await request<{ data: Session[] }>('GET', '/v1/sessions')).data,
    revokeSession: (id: string) =>
      request<void>('DELETE', `/v1/sessions/${encodeURIComponent(id)}`),

    /** Called when the session ends, in this tab or another (sign-out, or the bridge answered 401). */
    onSignedOut(listener: () => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    /**
     * Called with `signed-in` after `signIn()` and with `signed-out` when the session ends (in
     * this tab or another, or on a 401): the auth state a UI renders from.
     */
    onAuthStateChange(listener: (state: 'signed-in' | 'signed-out') => void): () => void {
      authListeners.add(listener)
      return () => authListeners.delete(listener)
    },

    data,

    /** Stops listening to other tabs. */
    close() {
      channel?.close()
    },
  }
}

export type BridgeClient<S extends BridgeSchema = BridgeSchema> = ReturnType<
  typeof createBridgeClient<S>
>

function backoff(attempt: number): number {
  return Math.min(5000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The token's own `iat` (seconds), to prefer the newer of two tokens; 0 when unreadable. */
function issuedAtOf(token: string): number {
  try {
    const payload = token.split('.')[1] ?? ''
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'))
    const iat = (JSON.parse(json) as { iat?: unknown }).iat
    return typeof iat === 'number' ? iat : 0
  } catch {
    return 0
  }
}

export { syncFirebase, type FirebaseAuthFunctions } from './firebase.js'
export { hasuraAuth } from './hasura.js'
export { convexAuth, supabaseAccessToken } from './supabase-convex.js'
