import { decodeKsuid, newKsuid, parseKsuid } from './ksuid'

/** Prefixes in use, in the Stripe style: the prefix says what the id names. */
export type IdPrefix = 'req' | 'sess' | 'key' | 'evt' | 'tok'

/** A new prefixed KSUID such as `req_2Ht0Y6…`. */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${newKsuid(now)}`
}

/** True when `value` is a well-formed id with this prefix (the KSUID must decode). */
export function isId(prefix: IdPrefix, value: string): boolean {
  if (!value.startsWith(`${prefix}_`)) return false
  try {
    decodeKsuid(value.slice(prefix.length + 1))
    return true
  } catch {
    return false
  }
}

/** Unix time (seconds) at which an id was made. */
export function idTimestamp(value: string): number {
  const separator = value.indexOf('_')
  return parseKsuid(decodeKsuid(value.slice(separator + 1))).timestamp
}
