import { noMetrics, type Metrics } from '../log/metrics'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import {
  SessionPrincipalSchema,
  userKey,
  type Principal,
  type SessionPrincipal,
} from '../identity/principal'
import { newId } from '../ids/prefixed-id'
import { userShard } from '../store/keys'
import { storeCall } from '../store/store-call'
import type { SessionRecord, Store } from '../store/types'
import { enforceBudgets } from '../budgets/enforce-budgets'
import type { RotationSecrets } from './rotation-secret'
import { hashSecret, newSessionSecret } from './secret'

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
  metrics?: Metrics
}) {
  const { store, clock, config } = deps
  const metrics = deps.metrics ?? noMetrics
  const idleMs = config.idleSeconds * 1000
  const absoluteMs = config.absoluteSeconds * 1000
  const windowMs = config.createWindowSeconds * 1000

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
    async create(principal: SessionPrincipal, meta: { userAgent: string | undefined; ip: string }) {
      const now = clock.now()
      const key = userKey(principal)
      const shard = userShard(key)
      const secret = newSessionSecret(shard)
      const record: SessionRecord = {
        id: `${newId('sess', now)}_${shard}`,
        userKey: key,
        secretHash: await hashSecret(secret),
        principal,
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
      if (evicted.length > 0) metrics.sessions('revoked', evicted.length)
      return { record, secret, evicted }
    },

    async authenticate(secret: string) {
      const hash = await hashSecret(secret)
      return storeCall(() =>
        store.sessions.authenticate(hash, clock.now(), idleMs, SESSION_TOUCH_INTERVAL_MS),
      )
    },

    /**
     * The secret a refresh with `previousSecret` handed out, when it is still the current one:
     * a refresh repeated (its answer lost) within the grace gets the same answer again.
     */
    async repeatRotation(record: SessionRecord, previousSecret: string) {
      const secret = await deps.rotation.next(previousSecret)
      return (await hashSecret(secret)) === record.secretHash ? { record, secret } : null
    },

    /** New secret for the same session; the old one works for the configured grace only. */
    async rotate(record: SessionRecord, currentSecret: string) {
      const secret = await deps.rotation.next(currentSecret)
      const [currentHash, nextHash] = await Promise.all([
        hashSecret(currentSecret),
        hashSecret(secret),
      ])
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
    async revoke(id: string) {
      const revoked = await storeCall(() => store.sessions.revoke(id))
      if (revoked) metrics.sessions('revoked')
      return revoked
    },
    async revokeUser(key: string) {
      const count = await storeCall(() => store.sessions.revokeUser(key))
      if (count > 0) metrics.sessions('revoked', count)
      return count
    },
  }
}

/** The principal of a request authenticated by a session (parsed: the store holds plain JSON). */
export function principalOfSession(record: SessionRecord): Principal {
  return {
    ...SessionPrincipalSchema.parse(record.principal),
    sessionId: record.id,
    expiresAt: Math.min(record.idleExpiresAt, record.absoluteExpiresAt),
    method: 'session',
  }
}

/** Who a session event is about, for its log line or audit event. */
export function sessionFields(record: SessionRecord) {
  return { userId: record.principal.userId, issuer: record.principal.issuer, sessionId: record.id }
}
