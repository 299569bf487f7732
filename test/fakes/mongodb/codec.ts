import { ObjectId, type Document } from 'bson'

/**
 * mingo evaluates plain JavaScript values; BSON ObjectIds are turned into tagged strings (which
 * sort like the ids) for matching, sorting and updating, and back afterwards.
 */
const TAG = '\u0000oid:'

export function encode(value: unknown): unknown {
  if (value instanceof ObjectId) return `${TAG}${value.toHexString()}`
  if (value instanceof Date || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(encode)
  if ('_bsontype' in value) return value // other BSON types (Long, Decimal128…) pass through
  const out: Document = {}
  for (const [key, item] of Object.entries(value)) out[key] = encode(item)
  return out
}

export function decode(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(TAG))
    return new ObjectId(value.slice(TAG.length))
  if (value instanceof Date || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(decode)
  const out: Document = {}
  for (const [key, item] of Object.entries(value)) out[key] = decode(item)
  return out
}
