import type { Logger } from './log/logger'
import type { Credential } from './identity/credentials'
import type { Principal } from './identity/principal'
import type { AuthenticatedSession } from './store/types'

/** The one Hono environment of the app: per-request values, read with `c.var.…`. */
export type AppEnv = {
  Variables: {
    requestId: string
    log: Logger
    clientIp: string
    https: boolean
    principal: Principal | undefined
    /** The credential that authenticated the request (kept in memory only). */
    credential: Credential | undefined
    /** Set when a Bridgekeeper session authenticated the request. */
    session: AuthenticatedSession | undefined
  }
}
