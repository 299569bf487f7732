import type { Context } from 'hono'

type HeaderSetter = (name: string, value: string) => void

/**
 * Where the headers that every response of a request carries (its request id, the security
 * headers, `Vary: Origin`) are set.
 *
 * - `native`: on the runtime's own response, before the body exists (Node's ServerResponse,
 *   see runtime/node/native-headers.ts). No `Headers` object is built for them, a handler's
 *   response is never copied to add them, and a header the handler sets itself wins.
 * - otherwise (Workers, in-process requests): prepared on Hono's context, and added afterwards
 *   to a Response a handler built itself.
 */
export type BaseHeaders = { set: HeaderSetter; native: boolean }

/** The runtime's own response for a request, when it has one (Node); undefined elsewhere. */
export type NativeHeaders = (c: Context) => HeaderSetter | undefined

export function baseHeaders(c: Context, native: NativeHeaders | undefined): BaseHeaders {
  const set = native?.(c)
  return set
    ? { set, native: true }
    : { set: (name, value) => c.header(name, value), native: false }
}
