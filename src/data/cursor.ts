import { base64url } from 'jose'
import { AppError } from '../errors/app-error'

/**
 * The opaque cursor clients see: the adapter's own cursor bound to the query it belongs to
 * (resource, user, filters, sort, limit). A cursor from another query or user is refused; rows
 * are re-checked against the scope anyway.
 */
export async function queryFingerprint(parts: unknown): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(JSON.stringify(parts)),
  )
  return base64url.encode(new Uint8Array(digest)).slice(0, 22)
}

export function wrapCursor(fingerprint: string, adapterCursor: string): string {
  return base64url.encode(
    new TextEncoder().encode(JSON.stringify({ q: fingerprint, c: adapterCursor })),
  )
}

export function unwrapCursor(fingerprint: string, cursor: string): string {
  try {
    if (cursor.length > 4096) throw new Error('too long')
    const parsed = JSON.parse(new TextDecoder().decode(base64url.decode(cursor))) as {
      q?: unknown
      c?: unknown
    }
    if (parsed.q === fingerprint && typeof parsed.c === 'string') return parsed.c
  } catch {
    // fall through
  }
  throw new AppError('invalid_cursor', {
    detail: 'Use the nextCursor of the same query, unchanged.',
  })
}
