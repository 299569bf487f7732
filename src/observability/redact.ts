/** Field names whose values never reach a log line (SECURITY.md, "Logs and errors"). */
const SECRET_KEY =
  /(token|secret|password|authorization|cookie|api[-_]?key|private|credential|jwt|^key$|^d$|^p$|^q$|^dp$|^dq$|^qi$)/i
/**
 * Values that look like credentials even under an innocent name: a compact JWS, a PEM private
 * key, an Authorization value, an Airtable personal access token, a session secret (`bks_`), a
 * webhook signing secret (`whsec_`), anywhere in the value. One pattern, one pass.
 */
const SECRET_VALUE =
  /^eyJ[\w-]*\.[\w-]*\.[\w-]*$|-----BEGIN [A-Z ]*PRIVATE KEY-----|^[Bb][Ee][Aa][Rr][Ee][Rr]\s|^[Bb][Aa][Ss][Ii][Cc]\s|^pat[A-Za-z0-9]{10,}\.|bks_[A-Za-z0-9_-]{8,}|whsec_[A-Za-z0-9+/=]{8,}/
/** Field names repeat from line to line: each is tested once. */
const secretKeys = new Map<string, boolean>()
const MAX_CACHED_KEYS = 1000

function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key)
  if (secret === undefined) {
    secret = SECRET_KEY.test(key)
    if (secretKeys.size < MAX_CACHED_KEYS) secretKeys.set(key, secret)
  }
  return secret
}
const MAX_STRING = 2048
const MAX_DEPTH = 6

const REDACTED = '[redacted]'

/** Returns a copy of `value` safe to log: secret-named keys and credential-shaped strings are replaced. */
export function redact(value: Record<string, unknown>): Record<string, unknown> {
  const out = redactValue(value, 0)
  return typeof out === 'object' && out !== null && !Array.isArray(out)
    ? (out as Record<string, unknown>)
    : {}
}

/** Copies `fields` into `target`, redacted as by `redact`. */
export function redactInto(target: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue
    target[key] = isSecretKey(key) ? REDACTED : redactValue(fields[key], 1)
  }
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    if (value.length >= 6 && SECRET_VALUE.test(value)) return REDACTED
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value
  }
  if (value instanceof Error)
    return { name: value.name, message: redactValue(value.message, depth + 1) }
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return '[truncated]'
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    out[key] = isSecretKey(key)
      ? REDACTED
      : redactValue((value as Record<string, unknown>)[key], depth + 1)
  }
  return out
}
