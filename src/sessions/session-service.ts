import type { LockoutProbe } from '../identity/verifier'
import { noMetrics, type Metrics } from '../observability/metrics'
import type { AuditTrail, EventOrigin } from '../audit/audit-trail'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import type { NotBeforeRecords } from '../identity/not-before'
import { userKey, type Principal, type SessionPrincipal } from '../identity/principal'
import { newId } from '../ids/prefixed-id'
import { sessionIdIn, userShard } from '../store/shard'
import { storeCall } from '../store/store-call'
import type { SessionRecord, Store } from '../store/types'
import { enforceBudgets } from '../budgets/enforce-budgets'
import { runsRevocationHook, type RevocationCause, type RevocationHook } from './revocation-hook'
import type { RotationSecrets } from './rotation-secret'
import { hashSecret, newSessionSecret } from './secret'
import { decodePrincipal, encodePrincipal } from './stored-principal'

/** Whose sessions a revocation ends. */
export type RevocationTarget =
  /** One session (its record, as the caller found it). */
  | { session: SessionRecord }
  /** Every session of a user. */
  | { user: { issuer: string; userId: string } }
  /**
   * The user's sessions that `matches` picks (an identity provider's change). With
   * `upstreamSessionId`, the identity provider ended that session of theirs: its tokens are void
   * whether or not a bridge session was made from them.
   */
  | {
      user: { issuer: string; userId: string }
      matches: (principal: SessionPrincipal, record: SessionRecord) => boolean
      upstreamSessionId?: string
      /** The user's tokens issued before now are void even when no session matched. */
      voidsTokens?: boolean
    }

/**
 * The causes whose revocations outlive the sessions: tokens the identity provider issued before
 * them are refused from then on (not-before.ts), so signing in again with one doesn't undo them.
 * A user's own sign-out ends only the bridge's sessions; their identity-provider session stays.
 */
const RECORDED_CAUSES: ReadonlySet<RevocationCause> = new Set(['admin', 'identity_provider'])

export type SessionService = ReturnType<typeof createSessionService>

/**
 * A session's idle expiry is written at most this often: a busy session costs the store reads
 * only, and expires at most this much before `SESSION_IDLE_TIMEOUT` after its last use.
 */
const SESSION_TOUCH_INTERVAL_MS = 5000

/**
 * Sessions: opaque 256-bit secrets whose SHA-256 alone is stored, with sliding idle and absolute
 * expiry enforced here and by the store's own TTLs (SECURITY.md, "Sessions").
 */
export function createSessionService(deps: {
  store: Store
  clock: Clock
  config: Config['sessions']
  rotation: RotationSecrets
  audit: AuditTrail
  /** Where revocations by an identity provider or an admin are remembered (not-before.ts). */
  notBefore: NotBeforeRecords
  /** Runs after revocations whose cause calls for it (revocation-hook.ts). */
  onRevoked?: RevocationHook
  metrics?: Metrics
}) {
  const { store, clock, config, audit } = deps
  const metrics = deps.metrics ?? noMetrics
  const idleMs = config.idleSeconds * 1000
  // Bound once (an optional store operation, used with every session lookup where it exists).
  const authenticateCounting = store.sessions.authenticateCounting?.bind(store.sessions)
  const absoluteMs = config.absoluteSeconds * 1000
  const windowMs = config.createWindowSeconds * 1000
  const hookContext = {
    allow: async (key: string, limit: number, windowMs: number) =>
      (await store.limits.take(`revoke-hook:${key}`, limit, windowMs, clock.now())).allowed,
  }

  /**
   * What follows every revocation, whatever its cause: the metrics, one audit event, and the
   * revocation hook when the cause runs it (revocation-hook.ts). The one place these are decided.
   */
  async function revoked(
    user: { issuer: string; userId: string },
    ended: { scope: 'one'; sessionIds: readonly string[] } | { scope: 'all'; count: number },
    cause: RevocationCause,
    origin: EventOrigin,
    extra: Record<string, unknown>,
  ): Promise<void> {
    const count = ended.scope === 'all' ? ended.count : ended.sessionIds.length
    // Ending one session that was already gone is no event; "all" is audited even when empty.
    if (ended.scope === 'one' && count === 0) return
    if (count > 0) metrics.sessions('revoked', count)
    const which =
      ended.scope === 'one' && count === 1 ? { sessionId: ended.sessionIds[0] } : { count }
    audit.record(origin, 'session.revoked', {
      userId: user.userId,
      issuer: user.issuer,
      ...which,
      by: cause,
      ...extra,
    })
    if (!deps.onRevoked || !runsRevocationHook(cause)) return
    try {
      const { issuer, userId } = user
      await deps.onRevoked({ issuer, userId, scope: ended.scope, by: cause }, hookContext)
    } catch (error) {
      origin.log.error('session.revocation_hook_failed', { userId: user.userId, cause, error })
    }
  }

  return {
    /** Refuses with 429 when a user or an address creates sessions too fast. */
    checkCreateRate: (key: string, ip: string) =>
      enforceBudgets(
        store,
        clock,
        [
          { key: `sess-user:${key}`, capacity: config.createPerUser, windowMs },
          { key: `sess-ip:${ip}`, capacity: config.createPerIp, windowMs },
        ],
        'session_create',
        { detail: 'Too many sign-ins; try again later.' },
      ),

    /** A brand-new session: new id, new secret, whatever the client sent (no fixation). */
    async create(
      principal: SessionPrincipal,
      meta: { userAgent: string | undefined; ip: string },
      origin: EventOrigin,
    ) {
      const now = clock.now()
      const key = userKey(principal)
      const shard = userShard(key)
      const secret = newSessionSecret(shard)
      const record: SessionRecord = {
        id: sessionIdIn(shard, newId('sess', now)),
        userKey: key,
        secretHash: hashSecret(secret),
        principal: encodePrincipal(principal),
        createdAt: now,
        lastActiveAt: now,
        idleExpiresAt: Math.min(now + idleMs, now + absoluteMs),
        absoluteExpiresAt: now + absoluteMs,
        userAgent: meta.userAgent?.slice(0, 256),
        ip: meta.ip,
      }
      const { evicted } = await storeCall(() =>
        store.sessions.create(record, { maxPerUser: config.maxPerUser }),
      )
      metrics.sessions('created')
      // The user's oldest sessions beyond the cap, ended by the store in the same step.
      for (const id of evicted)
        await revoked(principal, { scope: 'one', sessionIds: [id] }, 'cap', origin, {})
      return { record, secret }
    },

    /**
     * The session of `secret`, its idle expiry slid. With `lockout`, on a store that can, the
     * address's lockout count is read in the same round trip and set on it.
     */
    async authenticate(secret: string, lockout?: LockoutProbe) {
      const hash = hashSecret(secret)
      const now = clock.now()
      if (!lockout || !authenticateCounting)
        return storeCall(() =>
          store.sessions.authenticate(hash, now, idleMs, SESSION_TOUCH_INTERVAL_MS),
        )
      const { key, windowMs } = lockout
      const { session, count } = await storeCall(() =>
        authenticateCounting(hash, now, idleMs, SESSION_TOUCH_INTERVAL_MS, { key, windowMs }),
      )
      lockout.count = count
      return session
    },

    /** Whether the store reads a lockout count with the session lookup (one round trip). */
    countsLockout: authenticateCounting !== undefined,

    /**
     * The secret a refresh with `previousSecret` handed out, when it is still the current one:
     * a refresh repeated (its answer lost) within the grace gets the same answer again.
     */
    async repeatRotation(record: SessionRecord, previousSecret: string) {
      const secret = await deps.rotation.next(previousSecret)
      return hashSecret(secret) === record.secretHash ? { record, secret } : null
    },

    /** New secret for the same session; the old one works for the configured grace only. */
    async rotate(record: SessionRecord, currentSecret: string) {
      const secret = await deps.rotation.next(currentSecret)
      const [currentHash, nextHash] = [hashSecret(currentSecret), hashSecret(secret)]
      const rotated = await storeCall(() =>
        store.sessions.rotate(
          record.id,
          currentHash,
          nextHash,
          clock.now(),
          config.rotationGraceSeconds * 1000,
        ),
      )
      return rotated ? { record: rotated, secret } : null
    },

    list: (key: string) => storeCall(() => store.sessions.list(key, clock.now())),
    get: (id: string) => storeCall(() => store.sessions.get(id, clock.now())),

    /**
     * Every revocation goes through here, whatever its cause (the user, an admin, the identity
     * provider, reuse of a replaced secret): the store write, then `revoked` above. Returns how
     * many sessions ended.
     */
    async revoke(
      target: RevocationTarget,
      cause: RevocationCause,
      origin: EventOrigin,
      extra: Record<string, unknown> = {},
    ): Promise<number> {
      if ('session' in target) {
        const record = target.session
        const gone = await storeCall(() => store.sessions.revoke(record.id))
        const sessionIds = gone ? [record.id] : []
        await revoked(
          decodePrincipal(record.principal),
          { scope: 'one', sessionIds },
          cause,
          origin,
          extra,
        )
        return sessionIds.length
      }
      const key = userKey(target.user)
      const recorded = RECORDED_CAUSES.has(cause)
      // The record is written before the sessions go, so no sign-in in between can outlive it.
      if (!('matches' in target)) {
        if (recorded) await storeCall(() => deps.notBefore.record(target.user))
        const count = await storeCall(() => store.sessions.revokeUser(key))
        await revoked(target.user, { scope: 'all', count }, cause, origin, extra)
        return count
      }
      const live = await storeCall(() => store.sessions.list(key, clock.now()))
      const stale = live.filter((record) =>
        target.matches(decodePrincipal(record.principal), record),
      )
      if (recorded && target.upstreamSessionId !== undefined)
        await storeCall(() => deps.notBefore.record(target.user, target.upstreamSessionId))
      else if (recorded && (stale.length > 0 || target.voidsTokens === true))
        await storeCall(() => deps.notBefore.record(target.user))
      const ids: string[] = []
      for (const record of stale)
        if (await storeCall(() => store.sessions.revoke(record.id))) ids.push(record.id)
      await revoked(target.user, { scope: 'one', sessionIds: ids }, cause, origin, extra)
      return ids.length
    },
  }
}

/** The principal of a request authenticated by a session (parsed: the store holds plain JSON). */
export function principalOfSession(record: SessionRecord): Principal {
  return {
    ...decodePrincipal(record.principal),
    sessionId: record.id,
    expiresAt: Math.min(record.idleExpiresAt, record.absoluteExpiresAt),
    method: 'session',
  }
}

/** Who a session event is about, for its log line or audit event. */
export function sessionFields(record: SessionRecord) {
  const { userId, issuer } = decodePrincipal(record.principal)
  return { userId, issuer, sessionId: record.id }
}
