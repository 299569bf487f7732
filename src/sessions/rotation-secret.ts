import { base64url } from 'jose'
import { derivedHmacKey } from '../crypto/derived-key'
import { shardOfSecret, withShard } from './secret'

const encoder = new TextEncoder()

/**
 * A refreshed session's next secret is HMAC-SHA-256, under a server key, of the secret it
 * replaces: as unpredictable as a random one to anyone without the key, and the same every time
 * for the same predecessor. So a refresh whose answer was lost can be repeated with the old
 * secret (inside its grace) and gets the same new secret, instead of a third one.
 * `secret` is key material every instance shares; per process when there is none (development).
 */
export function rotationSecrets(secret: string | undefined) {
  const key = derivedHmacKey(secret, 'bridgekeeper session rotation v1', ['sign'])
  return {
    async next(current: string): Promise<string> {
      const mac = await crypto.subtle.sign('HMAC', await key, encoder.encode(current))
      // The same shard as the secret it replaces: the session stays where it is.
      return withShard(shardOfSecret(current), base64url.encode(new Uint8Array(mac)))
    },
  }
}

export type RotationSecrets = ReturnType<typeof rotationSecrets>
