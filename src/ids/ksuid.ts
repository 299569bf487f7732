/**
 * KSUID: a 20-byte, K-sortable id (4-byte big-endian timestamp in seconds since the KSUID
 * epoch, then 16 random bytes), written as 27 base62 characters that sort like the bytes.
 * Spec and test vectors: https://github.com/segmentio/ksuid
 * Written here because the published packages depend on Node's Buffer/crypto and the bridge
 * must run on Workers too.
 */
const KSUID_EPOCH_SECONDS = 1_400_000_000
const KSUID_BYTES = 20
const KSUID_LENGTH = 27
const PAYLOAD_BYTES = 16
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const MAX_ENCODED = 'aWgEPTl1tmebfsQzFP4bxwgy80V'

export type Ksuid = { timestamp: number; payload: Uint8Array }

/** Builds the 20 raw bytes. `timeMs` is Unix time in milliseconds. */
export function ksuidBytes(timeMs: number, payload?: Uint8Array): Uint8Array {
  const seconds = Math.floor(timeMs / 1000) - KSUID_EPOCH_SECONDS
  if (seconds < 0 || seconds > 0xffffffff) throw new RangeError('time outside the KSUID range')
  const bytes = new Uint8Array(KSUID_BYTES)
  new DataView(bytes.buffer).setUint32(0, seconds, false)
  const random = payload ?? crypto.getRandomValues(new Uint8Array(PAYLOAD_BYTES))
  if (random.length !== PAYLOAD_BYTES) throw new RangeError('a KSUID payload is 16 bytes')
  bytes.set(random, 4)
  return bytes
}

/** Base62-encodes 20 bytes into 27 characters, left-padded with '0'. */
export function encodeKsuid(bytes: Uint8Array): string {
  if (bytes.length !== KSUID_BYTES) throw new RangeError('a KSUID is 20 bytes')
  // Long division of the big-endian base-256 number by 62.
  let digits = Array.from(bytes)
  let out = ''
  while (digits.length > 0) {
    const quotient: number[] = []
    let remainder = 0
    for (const digit of digits) {
      const value = remainder * 256 + digit
      const q = Math.floor(value / 62)
      remainder = value % 62
      if (quotient.length > 0 || q > 0) quotient.push(q)
    }
    out = ALPHABET[remainder] + out
    digits = quotient
  }
  return out.padStart(KSUID_LENGTH, '0')
}

/** Decodes a 27-character KSUID string into its 20 bytes; throws on anything else. */
export function decodeKsuid(text: string): Uint8Array {
  if (text.length !== KSUID_LENGTH || text > MAX_ENCODED) throw new RangeError('not a KSUID')
  const digits: number[] = []
  for (const char of text) {
    const value = ALPHABET.indexOf(char)
    if (value < 0) throw new RangeError('not a KSUID')
    // Multiply the base-256 number by 62 and add the digit.
    let carry = value
    for (let i = digits.length - 1; i >= 0; i--) {
      const total = (digits[i] ?? 0) * 62 + carry
      digits[i] = total & 0xff
      carry = total >>> 8
    }
    while (carry > 0) {
      digits.unshift(carry & 0xff)
      carry >>>= 8
    }
  }
  if (digits.length > KSUID_BYTES) throw new RangeError('not a KSUID')
  const bytes = new Uint8Array(KSUID_BYTES)
  bytes.set(digits, KSUID_BYTES - digits.length)
  return bytes
}

/** Splits raw bytes into the Unix timestamp (seconds) and the payload. */
export function parseKsuid(bytes: Uint8Array): Ksuid {
  const seconds = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false)
  return { timestamp: seconds + KSUID_EPOCH_SECONDS, payload: bytes.slice(4) }
}
