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

/** Random bytes are drawn in blocks: one getRandomValues call serves 256 ids. */
const POOL_BYTES = 4096
let pool = new Uint8Array(0)
let poolOffset = 0

function randomPayload(): Uint8Array {
  if (poolOffset + PAYLOAD_BYTES > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES))
    poolOffset = 0
  }
  const payload = pool.subarray(poolOffset, poolOffset + PAYLOAD_BYTES)
  poolOffset += PAYLOAD_BYTES
  return payload
}

/** Builds the 20 raw bytes. `timeMs` is Unix time in milliseconds. */
export function ksuidBytes(timeMs: number, payload?: Uint8Array): Uint8Array {
  const seconds = Math.floor(timeMs / 1000) - KSUID_EPOCH_SECONDS
  if (seconds < 0 || seconds > 0xffffffff) throw new RangeError('time outside the KSUID range')
  const bytes = new Uint8Array(KSUID_BYTES)
  new DataView(bytes.buffer).setUint32(0, seconds, false)
  const random = payload ?? randomPayload()
  if (random.length !== PAYLOAD_BYTES) throw new RangeError('a KSUID payload is 16 bytes')
  bytes.set(random, 4)
  return bytes
}

/** Base62-encodes 20 bytes into 27 characters, left-padded with '0'. */
export function encodeKsuid(bytes: Uint8Array): string {
  if (bytes.length !== KSUID_BYTES) throw new RangeError('a KSUID is 20 bytes')
  const words: number[] = []
  for (let offset = 0; offset < KSUID_BYTES; offset += 4) words.push(wordAt(bytes, offset))
  return encodeWords(words)
}

/** A new KSUID string for `timeMs`, without intermediate byte arrays (request ids use it). */
export function newKsuid(timeMs: number): string {
  const seconds = Math.floor(timeMs / 1000) - KSUID_EPOCH_SECONDS
  if (seconds < 0 || seconds > 0xffffffff) throw new RangeError('time outside the KSUID range')
  const random = randomPayload()
  return encodeWords([
    seconds,
    wordAt(random, 0),
    wordAt(random, 4),
    wordAt(random, 8),
    wordAt(random, 12),
  ])
}

function wordAt(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] ?? 0) << 24) |
      ((bytes[offset + 1] ?? 0) << 16) |
      ((bytes[offset + 2] ?? 0) << 8) |
      (bytes[offset + 3] ?? 0)) >>>
    0
  )
}

/**
 * Long division of the big-endian number held in five 32-bit words by 62: each step's remainder
 * is the next digit from the right (remainder * 2^32 + word stays below 2^53).
 */
function encodeWords(words: number[]): string {
  let out = ''
  for (let position = 0; position < KSUID_LENGTH; position++) {
    let remainder = 0
    for (let i = 0; i < words.length; i++) {
      const value = remainder * 0x1_0000_0000 + (words[i] ?? 0)
      const quotient = Math.floor(value / 62)
      words[i] = quotient
      remainder = value - quotient * 62
    }
    out = ALPHABET.charAt(remainder) + out
  }
  return out
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
