import type { JWK } from 'jose'
import type { SigningKey } from './signing-key'

/** Where minting gets its key and the JWKS its public keys. */
export interface KeyProvider {
  readonly kind: 'static' | 'managed'
  /** The key that signs now. */
  activeKey(): Promise<SigningKey>
  /** Every public key a verifier may meet: next, active and retired. */
  publishedKeys(): Promise<JWK[]>
  /** Starts a rotation now (managed keys only): a new key is published, then promoted after the cache lifetime. */
  rotate?(): Promise<KeyStatus[]>
  status?(): Promise<KeyStatus[]>
}

export type KeyState = 'next' | 'active' | 'retired'
export type KeyStatus = {
  kid: string
  alg: string
  state: KeyState
  publishedAt: string
  activatedAt: string | null
  retiredAt: string | null
  removeAt: string | null
}

/** Keys from SIGNING_KEYS (or the development key file): all published, the first one signs. */
export function staticKeys(keys: SigningKey[]): KeyProvider {
  const [first] = keys
  if (!first) throw new Error('at least one signing key is required')
  return {
    kind: 'static',
    activeKey: async () => first,
    publishedKeys: async () => keys.map((k) => k.publicJwk),
  }
}
