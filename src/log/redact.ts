/** Field names whose values never reach a log line (SECURITY.md, "Logs and errors"). */
const SECRET_KEY =
  /(token|secret|password|authorization|cookie|api[-_]?key|private|credential|jwt|^key$|^d$|^p$|^q$|^dp$|^dq$|^qi$)/i
/** Values that look like credentials even under an innocent name. */
const SECRET_VALUE = [
  /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/, // a compact JWS
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^(Bearer|Basic)\s/i,
  /^pat[A-Za-z0-9]{10,}\./, // Airtable personal access token
]
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

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    if (SECRET_VALUE.some((pattern) => pattern.test(value))) return REDACTED
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value
  }
  if (value instanceof Error)
    return { name: value.name, message: redactValue(value.message, depth + 1) }
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return '[truncated]'
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(item, depth + 1)
  }
  return out
}
