import type { Logger } from '../log/logger'

/**
 * The HTTP layer's per-request values, read with `c.var.…`. Modules above it declare their own
 * variables (identity: `principal`, `credential`; sessions: `session`) by augmenting Hono's
 * ContextVariableMap, so this file imports nothing from them.
 */
export type AppEnv = {
  Variables: {
    requestId: string
    log: Logger
    clientIp: string
    https: boolean
    /** Fields later stages add to the request's access-log line (who the caller was). */
    accessLog: Record<string, unknown>
  }
}
