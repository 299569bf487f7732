import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeKsuid, encodeKsuid, ksuidBytes, parseKsuid } from '../../src/ids/ksuid'
import { idTimestamp, isId, newId } from '../../src/ids/prefixed-id'

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()
const fromHex = (text: string) =>
  Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16))

// Published in the KSUID reference implementation's README (segmentio/ksuid, "CLI Usage Examples").
const VECTORS = [
  {
    text: '0ujtsYcgvSTl8PAuAdqWYSMnLOv',
    raw: '0669F7EFB5A1CD34B5F99D1154FB6853345C9735',
    timestamp: 107608047,
  },
  {
    text: '0ujzPyRiIAffKhBux4PvQdDqMHY',
    raw: '066A029C73FC1AA3B2446246D6E89FCD909E8FE8',
    timestamp: 107610780,
  },
  {
    text: '0uk1Hbc9dQ9pxyTqJ93IUrfhdGq',
    raw: `${(107611700).toString(16).toUpperCase().padStart(8, '0')}9850EEEC191BF4FF26F99315CE43B0C8`,
    timestamp: 107611700,
  },
  {
    text: '0uk1HdCJ6hUZKDgcxhpJwUl5ZEI',
    raw: `${(107611700).toString(16).toUpperCase().padStart(8, '0')}CC55072555316F45B8CA2D2979D3ED0A`,
    timestamp: 107611700,
  },
]

describe('KSUID', () => {
  it.each(VECTORS)('encodes and decodes the published vector $text', ({ text, raw, timestamp }) => {
    expect(encodeKsuid(fromHex(raw))).toBe(text)
    expect(hex(decodeKsuid(text))).toBe(raw)
    expect(parseKsuid(decodeKsuid(text)).timestamp - 1_400_000_000).toBe(timestamp)
  })

  it('maps the first vector to 2017-10-10T04:00:47Z', () => {
    const { timestamp } = parseKsuid(decodeKsuid('0ujtsYcgvSTl8PAuAdqWYSMnLOv'))
    expect(new Date(timestamp * 1000).toISOString()).toBe('2017-10-10T04:00:47.000Z')
  })

  it('encodes the nil and the maximum KSUID', () => {
    expect(encodeKsuid(new Uint8Array(20))).toBe('000000000000000000000000000')
    expect(encodeKsuid(new Uint8Array(20).fill(0xff))).toBe('aWgEPTl1tmebfsQzFP4bxwgy80V')
  })

  it('refuses strings that are not KSUIDs', () => {
    for (const bad of [
      '',
      'short',
      'aWgEPTl1tmebfsQzFP4bxwgy80W',
      '0ujtsYcgvSTl8PAuAdqWYSMnLO_',
      '0ujtsYcgvSTl8PAuAdqWYSMnLOvX',
    ]) {
      expect(() => decodeKsuid(bad)).toThrow(RangeError)
    }
  })

  it('round-trips any 20 bytes, and string order equals byte order', () => {
    const bytes20 = fc.uint8Array({ minLength: 20, maxLength: 20 })
    fc.assert(
      fc.property(bytes20, bytes20, (a, b) => {
        const ea = encodeKsuid(a)
        const eb = encodeKsuid(b)
        expect(ea).toHaveLength(27)
        expect(decodeKsuid(ea)).toEqual(a)
        const byteOrder = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))
        const textOrder = ea < eb ? -1 : ea > eb ? 1 : 0
        expect(textOrder).toBe(byteOrder)
      }),
    )
  })

  it('sorts ids made in later seconds after earlier ones', () => {
    const t = Date.UTC(2026, 10, 27, 12, 0, 0)
    const ids = [t + 5000, t, t + 1000, t + 3_600_000].map((ms) => encodeKsuid(ksuidBytes(ms)))
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0], ids[3]])
  })
})

describe('prefixed ids', () => {
  it('makes Stripe-style ids that validate and carry their time', () => {
    const now = Date.UTC(2026, 10, 27, 12, 0, 0)
    const id = newId('sess', now)
    expect(id).toMatch(/^sess_[0-9A-Za-z]{27}$/)
    expect(isId('sess', id)).toBe(true)
    expect(isId('req', id)).toBe(false)
    expect(isId('sess', 'sess_not-a-ksuid')).toBe(false)
    expect(idTimestamp(id)).toBe(now / 1000)
  })

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('req')))
    expect(ids.size).toBe(10_000)
  })
})
