/**
 * An identity provider's webhook (Clerk, or any sender of Standard Webhooks), contributed by an
 * adapter: it verifies a delivery and says what happened to which user, in the provider's terms.
 * The engine does the rest: idempotency, the user's id in the bridge, and revoking sessions.
 */
export interface IdentityWebhook {
  /** Served at POST /v1/webhooks/{provider}. */
  readonly provider: string
  /** The upstream issuer (one of UPSTREAM_ISSUERS) whose users the events name. */
  readonly issuer: string
  /**
   * Checks the delivery's signature and timestamp (a replay older than five minutes fails) and
   * parses it. Throws WebhookRefused when it doesn't verify.
   */
  read(body: string, header: (name: string) => string | undefined): IdentityEvent
}

export type IdentityEvent = {
  /** The delivery's id: a repeated id is processed once. */
  id: string
  /** The provider's event type, for the log. */
  type: string
  action:
    | { kind: 'user_deleted'; subject: string }
    | { kind: 'session_ended'; subject: string; upstreamSessionId: string }
    | {
        kind: 'user_updated'
        subject: string
        /** The user's verified email now (undefined: none). */
        email: string | undefined
        /** The user's roles now, when the event carries them. */
        roles: string[] | undefined
      }
    | {
        kind: 'membership_changed'
        subject: string
        /** The organization, as the provider names it (the bridge namespaces it). */
        orgId: string
        /** The member's role now; undefined: no longer a member. */
        role: string | undefined
      }
    | { kind: 'ignored' }
}

export class WebhookRefused extends Error {
  constructor(readonly reason: string) {
    super(`webhook refused: ${reason}`)
    this.name = 'WebhookRefused'
  }
}
