import { base64url } from 'jose'
import { sha256 } from '@noble/hashes/sha2.js'
import { derivedHmac } from '../crypto/derived-key'
import { AppError } from '../errors/app-error'

/**
 * The opaque cursor clients see: the adapter's own position, bound to the query it belongs to
 * (resource, user, scope, filters, sort, limit, fields) and authenticated with an HMAC under a
 * server secret. A cursor from another query or user, or one a client made or edited, is
 * refused; since only the server makes them, a position always comes from the caller's own rows.
 */
export type CursorCodec = {
  fingerprint(parts: unknown): Promise<string>
  wrap(fingerprint: string, adapterCursor: string): Promise<string>
  unwrap(fingerprint: string, cursor: string): Promise<string>
}

const MAX_CURSOR_LENGTH = 4096
const encoder = new TextEncoder()

/**
 * `secret` is key material every instance shares (CURSOR_SECRET, or the signing or
 * key-encryption keys); a per-process random key when there is none (development).
 */
export function cursorCodec(secret: string | undefined): CursorCodec {
  const sign = derivedHmac(secret, 'bridgekeeper cursor v1')
  const mac = (payload: string) => base64url.encode(sign(encoder.encode(payload)))
  return {
    async fingerprint(parts) {
      return Promise.resolve(
        base64url.encode(sha256(encoder.encode(JSON.stringify(parts)))).slice(0, 22),
      )
    },
    async wrap(fingerprint, adapterCursor) {
      const payload = base64url.encode(
        encoder.encode(JSON.stringify({ q: fingerprint, c: adapterCursor })),
      )
      return Promise.resolve(`${payload}.${mac(payload)}`)
    },
    async unwrap(fingerprint, cursor) {
      const [payload, tag, extra] = cursor.split('.')
      if (cursor.length <= MAX_CURSOR_LENGTH && payload && tag && extra === undefined) {
        if (sameBytes(decodeOrEmpty(tag), sign(encoder.encode(payload)))) {
          const parsed = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as {
            q?: unknown
            c?: unknown
          }
          if (parsed.q === fingerprint && typeof parsed.c === 'string') return parsed.c
        }
      }
      throw new AppError('invalid_cursor', {
        detail: 'Use the nextCursor of the same query, unchanged.',
      })
    },
  }
}

/** Constant-time comparison of two MACs. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length
  for (let i = 0; i < Math.min(a.length, b.length); i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return difference === 0
}

function decodeOrEmpty(value: string): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(base64url.decode(value))
  } catch {
    return new Uint8Array()
  }
}
