import type { ServerResponse } from 'node:http'
import type { NativeHeaders } from '../../http/base-headers'

/**
 * Headers set on Node's ServerResponse, which @hono/node-server passes as `c.env.outgoing`.
 * Node merges them with the handler's own when the response is written, the handler's winning.
 * Requests made in-process (`app.request`) have no ServerResponse and use Hono's headers.
 */
export const nodeNativeHeaders: NativeHeaders = (c) => {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
  if (!outgoing || outgoing.headersSent) return undefined
  return (name, value) => outgoing.setHeader(name, value)
}
