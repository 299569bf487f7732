import { describe, expect, it } from 'vitest'
import { restoreLost } from '../../src/keys/managed-keys'
import type { KeySetDocument, StoredKey } from '../../src/keys/rotation-plan'

const policy = { rotationIntervalMs: 0, publishLeadMs: 305_000, maxTokenLifetimeMs: 3_600_000 }
const key = (kid: string, state: StoredKey['state'], publishedAt: number): StoredKey => ({
  kid,
  alg: 'ES256',
  state,
  publishedAt,
  activatedAt: state === 'active' ? publishedAt : null,
  retiredAt: null,
  removeAt: null,
  privateJwk: 'jwe',
})
const doc = (...keys: StoredKey[]): KeySetDocument => ({
  version: 1,
  keys,
  rotateRequestedAt: null,
})

describe('restoring a key set the store lost', () => {
  it('changes nothing when the store still has every key', () => {
    const held = doc(key('a', 'active', 1))
    expect(restoreLost(held, held, 10, policy)).toBeNull()
  })

  it('writes the held keys back into an empty store', () => {
    const held = doc(key('a', 'active', 1), key('b', 'next', 5))
    expect(restoreLost(doc(), held, 10, policy)).toEqual(held)
  })

  it('keeps the longer-published key signing when another instance started over, and retires the new one', () => {
    const held = doc(key('old', 'active', 1))
    const startedOver = doc(key('fresh', 'active', 9_000))
    const merged = restoreLost(startedOver, held, 10_000, policy)
    expect(merged?.keys.find((k) => k.state === 'active')?.kid).toBe('old')
    expect(merged?.keys.find((k) => k.kid === 'fresh')).toMatchObject({
      state: 'retired',
      retiredAt: 10_000,
      removeAt: 10_000 + 3_600_000 + 305_000,
    })
  })
})
