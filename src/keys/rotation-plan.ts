import type { JWK } from 'jose'
import type { KeyState } from './key-provider'
import type { SigningAlgorithm } from './signing-key'

/** One key as kept in the store; `privateJwk` is a JWE (encrypted with KEY_ENCRYPTION_KEY). */
export type StoredKey = {
  kid: string
  alg: SigningAlgorithm
  state: KeyState
  publishedAt: number
  activatedAt: number | null
  retiredAt: number | null
  removeAt: number | null
  /** The public key, in clear (absent on keys stored before it was kept; added on re-wrap). */
  publicJwk?: JWK
  privateJwk: string
}

export type KeySetDocument = {
  version: number
  keys: StoredKey[]
  /** Set by an admin rotation: promote the next key as soon as it has been published long enough. */
  rotateRequestedAt: number | null
}

export type RotationPolicy = {
  /** How long a key signs before the next one takes over (0: only on an admin command). */
  rotationIntervalMs: number
  /** The JWKS Cache-Control max-age: a key is published at least this long before it signs. */
  publishLeadMs: number
  /** The longest lifetime of a token the bridge mints with these keys. */
  maxTokenLifetimeMs: number
}

export type PlanStep =
  | { kind: 'remove'; kid: string }
  | { kind: 'promote'; kid: string; retire: string | null }
  | { kind: 'create'; state: 'active' | 'next' }

/**
 * The rotation state machine, as a pure function: next (published, not signing) → active →
 * retired (published until every token it signed has expired, plus the cache lifetime) → removed.
 * Consumers that cache the JWKS for max-age and never refetch on an unknown kid (Hasura) then
 * never meet a token signed by a key they have not seen.
 */
export function planRotation(doc: KeySetDocument, now: number, policy: RotationPolicy): PlanStep[] {
  const steps: PlanStep[] = []
  for (const key of doc.keys) {
    if (key.state === 'retired' && key.removeAt !== null && key.removeAt <= now)
      steps.push({ kind: 'remove', kid: key.kid })
  }
  const active = doc.keys.find((k) => k.state === 'active')
  const next = doc.keys.find((k) => k.state === 'next')
  if (!active && !next) return [...steps, { kind: 'create', state: 'active' }]

  const nextReady = next !== undefined && now - next.publishedAt >= policy.publishLeadMs
  const due =
    active === undefined ||
    doc.rotateRequestedAt !== null ||
    (policy.rotationIntervalMs > 0 &&
      now - (active.activatedAt ?? active.publishedAt) >= policy.rotationIntervalMs)
  if (next && nextReady && due) {
    steps.push({ kind: 'promote', kid: next.kid, retire: active?.kid ?? null })
    return steps
  }
  const startsSoon =
    doc.rotateRequestedAt !== null ||
    (active !== undefined &&
      policy.rotationIntervalMs > 0 &&
      now - (active.activatedAt ?? active.publishedAt) >=
        policy.rotationIntervalMs - policy.publishLeadMs)
  if (!next && startsSoon) steps.push({ kind: 'create', state: 'next' })
  return steps
}

/** Applies the steps (the new key material comes from `created`). */
export function applyPlan(
  doc: KeySetDocument,
  steps: PlanStep[],
  now: number,
  policy: RotationPolicy,
  created: StoredKey | undefined,
): KeySetDocument {
  let keys = doc.keys.map((k) => ({ ...k }))
  let rotateRequestedAt = doc.rotateRequestedAt
  for (const step of steps) {
    switch (step.kind) {
      case 'remove':
        keys = keys.filter((k) => k.kid !== step.kid)
        break
      case 'promote':
        for (const key of keys) {
          if (key.kid === step.retire) {
            key.state = 'retired'
            key.retiredAt = now
            key.removeAt = now + policy.maxTokenLifetimeMs + policy.publishLeadMs
          }
          if (key.kid === step.kid) {
            key.state = 'active'
            key.activatedAt = now
          }
        }
        rotateRequestedAt = null
        break
      case 'create':
        if (!created) throw new Error('a create step needs a new key')
        keys.push({
          ...created,
          state: step.state,
          publishedAt: now,
          activatedAt: step.state === 'active' ? now : null,
        })
        // A bootstrap key is already the rotation a pending request asked for.
        if (step.state === 'active') rotateRequestedAt = null
        break
    }
  }
  return { version: doc.version + 1, keys, rotateRequestedAt }
}
