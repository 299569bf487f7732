import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../http/app-env'
import { storeCall } from '../store/store-call'
import { originOf } from '../http/request-context'
import type { Clock } from '../clock'
import { AppError } from '../errors/app-error'
import { stableUserId, type UserNamespaces } from '../identity/namespaces'
import { carriesClaim, type ClaimMapping } from '../identity/claims'
import type { SessionPrincipal } from '../identity/principal'
import type { Config } from '../config/config'
import { newId } from '../ids/prefixed-id'
import { jsonContent, problem } from '../openapi/schemas'
import type { SessionService } from '../sessions/session-service'
import type { Store } from '../store/types'
import { WebhookRefused, type IdentityEvent, type IdentityWebhook } from './identity-webhook'

/** Deliveries are remembered this long by id; senders retry well within it, replays are refused past five minutes. */
const SEEN_WINDOW_MS = 10 * 60_000
/** How long a delivery being processed holds its claim at most (a crashed instance's claim lapses). */
const CLAIM_MS = 30_000

const receive = createRoute({
  method: 'post',
  path: '/v1/webhooks/{provider}',
  tags: ['Webhooks'],
  summary:
    'An identity provider tells the bridge a user was deleted or changed, or a session ended (signed)',
  request: { params: z.object({ provider: z.string().max(64) }) },
  responses: {
    200: jsonContent(
      z.object({
        status: z.enum(['processed', 'duplicate', 'ignored']),
        revoked: z.number().int(),
      }),
      'Handled (a repeated delivery id is answered without acting again)',
    ),
    401: problem('The signature or its timestamp does not verify'),
    409: problem('The same delivery is being processed now: retry it'),
    404: problem('No webhook is configured for this provider'),
  },
})

/**
 * POST /v1/webhooks/{provider}: verified deliveries revoke bridge sessions so that the identity
 * provider's word takes effect at once: a deleted user loses every session (and the Firebase
 * refresh tokens when that hook is on), an ended upstream session ends the bridge sessions made
 * from it, and a user whose email or roles changed signs in again so the new ones are read.
 * Every action is a security event in the log.
 */
export function webhookReceiverRoutes(deps: {
  config: Config
  webhooks: IdentityWebhook[]
  namespaces: UserNamespaces
  sessions: SessionService
  store: Store
  clock: Clock
}) {
  const hooks = new Map(deps.webhooks.map((hook) => [hook.provider, hook]))
  const mappings = new Map(deps.config.upstream.issuers.map((i) => [i.issuer, i.claims]))
  const mappingOf = (issuer: string) => mappings.get(issuer)

  return new OpenAPIHono<AppEnv>().openapi(receive, async (c) => {
    const provider = c.req.valid('param').provider
    const hook = hooks.get(provider)
    if (!hook)
      throw new AppError('not_found', { detail: 'No webhook is configured for this provider.' })
    const log = c.get('log')
    const body = await c.req.text()
    let event: IdentityEvent
    try {
      event = hook.read(body, (name) => c.req.header(name))
    } catch (error) {
      const reason = error instanceof WebhookRefused ? error.reason : 'unreadable'
      log.warn('security.webhook_refused', { eventId: newId('evt'), provider, reason })
      throw new AppError('unauthorized', {
        detail: 'The webhook signature does not verify.',
        reason: `webhook_${reason}`,
      })
    }
    const seenKey = `webhook:${provider}:${event.id}`
    const limits = deps.store.limits
    if ((await storeCall(() => limits.peek(seenKey, SEEN_WINDOW_MS, deps.clock.now()))) > 0) {
      log.info('webhook.duplicate', { provider, deliveryId: event.id, type: event.type })
      return c.json({ status: 'duplicate' as const, revoked: 0 }, 200)
    }
    // Claimed atomically before acting, so two copies arriving together act once: the other is
    // answered 409 and its sender retries it (by then, a duplicate). A failed action releases
    // the claim, so the sender's retry acts in full.
    const claimKey = `webhook-claim:${provider}:${event.id}`
    const claim = (now: number, cost: number) =>
      storeCall(() => limits.take(claimKey, 1, CLAIM_MS, now, cost))
    if (!(await claim(deps.clock.now(), 1)).allowed)
      throw new AppError('conflict', {
        detail: 'This delivery is being processed; retry it shortly.',
        headers: { 'Retry-After': '5' },
        reason: 'webhook_delivery_in_progress',
      })
    let outcome: { status: 'processed' | 'ignored'; revoked: number }
    try {
      outcome = await act(c, hook, event)
    } catch (error) {
      await claim(deps.clock.now(), -1).catch(() => undefined)
      throw error
    }
    // Remembered only once handled, so a delivery that failed half-way is retried in full.
    await storeCall(() => limits.hit(seenKey, SEEN_WINDOW_MS, deps.clock.now()))
    return c.json(outcome, 200)
  })

  /** What a verified delivery does: revoke the sessions (and tokens) it makes stale. */
  async function act(c: Context<AppEnv>, hook: IdentityWebhook, event: IdentityEvent) {
    const log = c.get('log')
    const provider = hook.provider
    const namespace = deps.namespaces.of(hook.issuer)
    const action = event.action
    const userId =
      action.kind === 'ignored' || !namespace ? null : stableUserId(namespace, action.subject)
    if (userId === null || action.kind === 'ignored') {
      log.info('webhook.ignored', { provider, deliveryId: event.id, type: event.type })
      return { status: 'ignored' as const, revoked: 0 }
    }
    const user = { issuer: hook.issuer, userId }
    // An organization id of this issuer, in its namespace (as tokens' org ids are).
    const orgId =
      action.kind === 'membership_changed' && namespace
        ? (stableUserId(namespace, action.orgId) ?? undefined)
        : undefined
    const revoked = await deps.sessions.revoke(
      action.kind === 'user_deleted'
        ? { user }
        : {
            user,
            matches: (principal) => outdated(principal, action, mappingOf(hook.issuer), orgId),
            ...(action.kind === 'session_ended'
              ? { upstreamSessionId: action.upstreamSessionId }
              : {}),
            // The user's tokens carry the old membership whether or not a session does.
            voidsTokens: action.kind === 'membership_changed',
          },
      'identity_provider',
      originOf(c),
      { provider },
    )
    log.warn(`security.webhook_${action.kind}`, {
      eventId: newId('evt'),
      provider,
      deliveryId: event.id,
      type: event.type,
      userId,
      revoked,
    })
    return { status: 'processed' as const, revoked }
  }
}

/** Whether a session no longer matches what the identity provider now says. */
function outdated(
  principal: SessionPrincipal,
  action: Exclude<IdentityEvent['action'], { kind: 'ignored' } | { kind: 'user_deleted' }>,
  mapping: ClaimMapping | undefined,
  orgId: string | undefined,
): boolean {
  if (action.kind === 'session_ended') return principal.claims.sid === action.upstreamSessionId
  // A membership change: the sessions in that organization whose role no longer holds.
  if (action.kind === 'membership_changed')
    return (
      orgId !== undefined &&
      principal.orgId === orgId &&
      (action.role === undefined || principal.orgRole !== action.role)
    )
  // Only what the session carries is compared: a token without an email claim (Clerk's default
  // session token) or without roles says nothing the event could contradict.
  const carries = (name: string | undefined) =>
    name !== undefined && carriesClaim(principal.claims, name)
  const email = principal.emailVerified ? principal.email : undefined
  if (carries(mapping?.email) && email !== action.email) return true
  if (action.roles === undefined || !carries(mapping?.roles)) return false
  const before = [...principal.roles].sort().join('\n')
  return before !== [...action.roles].sort().join('\n')
}
