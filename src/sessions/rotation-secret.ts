import { base64url } from 'jose'
import { SESSION_SECRET_PREFIX } from './secret'

const encoder = new TextEncoder()

/**
 * A refreshed session's next secret is HMAC-SHA-256, under a server key, of the secret it
 * replaces: as unpredictable as a random one to anyone without the key, and the same every time
 * for the same predecessor. So a refresh whose answer was lost can be repeated with the old
 * secret (inside its grace) and gets the same new secret, instead of a third one.
 * `secret` is key material every instance shares; per process when there is none (development).
 */
export function rotationSecrets(secret: string | undefined) {
  const key = (async () => {
    const material = secret ? encoder.encode(secret) : crypto.getRandomValues(new Uint8Array(32))
    const base = await crypto.subtle.importKey('raw', material, 'HKDF', false, ['deriveKey'])
    return crypto.subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new Uint8Array(),
        info: encoder.encode('bridgekeeper session rotation v1'),
      },
      base,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    )
  })()
  return {
    async next(current: string): Promise<string> {
      const mac = await crypto.subtle.sign('HMAC', await key, encoder.encode(current))
      return SESSION_SECRET_PREFIX + base64url.encode(new Uint8Array(mac))
    },
  }
}

export type RotationSecrets = ReturnType<typeof rotationSecrets>
