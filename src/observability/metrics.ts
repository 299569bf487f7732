/**
 * What the engine counts, for an operator's dashboards. Labels are bounded: route patterns,
 * template and resource names, operations, outcome and rule codes, never a user id or a path.
 * The Node runtime backs it with prom-client (GET /metrics); elsewhere it counts nothing.
 */
export interface Metrics {
  /** One finished HTTP request: its route pattern, method, status and duration. */
  request(route: string, method: string, status: number, seconds: number): void
  /** One mint: `issued`, or the problem code that refused it. */
  minted(template: string, outcome: string): void
  /** One data policy decision: `allowed`, or the rule code that refused it. */
  dataDecision(resource: string, operation: string, outcome: string): void
  /** Sessions created or revoked (`count` for a revocation of several). */
  sessions(event: 'created' | 'revoked', count?: number): void
  /** One store call: its operation (`sessions.authenticate`), `ok` or `error`, its duration. */
  storeCall(operation: string, outcome: 'ok' | 'error', seconds: number): void
  /** One fetch of an upstream issuer's JWKS or discovery document: `ok` or `error`. */
  upstreamFetch(outcome: 'ok' | 'error'): void
  /** A backend event: `budget_wait` (a request waited for the shared budget), `throttled` (429). */
  backend(backend: string, event: 'budget_wait' | 'throttled'): void
  /** Reports the active signing key's age in seconds at every scrape (null: unknown). */
  watchKeyAge(age: () => Promise<number | null>): void
  /** The Prometheus text exposition, or null when this runtime keeps no metrics. */
  render(): Promise<{ contentType: string; body: string } | null>
}

export const noMetrics: Metrics = {
  request: () => undefined,
  minted: () => undefined,
  dataDecision: () => undefined,
  sessions: () => undefined,
  storeCall: () => undefined,
  upstreamFetch: () => undefined,
  backend: () => undefined,
  watchKeyAge: () => undefined,
  render: () => Promise.resolve(null),
}
