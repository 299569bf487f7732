import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Metrics } from '../../observability/metrics'

/** The engine's metrics in a prom-client registry of their own, with Node's process metrics. */
export function prometheusMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'bridgekeeper_' })
  const requests = new Histogram({
    name: 'bridgekeeper_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const mints = new Counter({
    name: 'bridgekeeper_tokens_minted_total',
    help: 'Mint requests by template and outcome (issued, or the refusing problem code)',
    labelNames: ['template', 'outcome'] as const,
    registers: [registry],
  })
  const decisions = new Counter({
    name: 'bridgekeeper_data_decisions_total',
    help: 'Data policy decisions by resource, operation and outcome (allowed, or the rule code)',
    labelNames: ['resource', 'operation', 'outcome'] as const,
    registers: [registry],
  })
  const sessions = new Counter({
    name: 'bridgekeeper_sessions_total',
    help: 'Sessions created and revoked',
    labelNames: ['event'] as const,
    registers: [registry],
  })
  const storeCalls = new Histogram({
    name: 'bridgekeeper_store_call_duration_seconds',
    help: 'Store calls by operation and outcome (ok, error)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  })
  const upstream = new Counter({
    name: 'bridgekeeper_upstream_fetches_total',
    help: "Fetches of upstream issuers' JWKS and discovery documents by outcome",
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const backends = new Counter({
    name: 'bridgekeeper_backend_events_total',
    help: 'Backend budget waits (budget_wait) and rate-limit answers (throttled), by backend',
    labelNames: ['backend', 'event'] as const,
    registers: [registry],
  })
  let keyAge: (() => Promise<number | null>) | undefined
  new Gauge({
    name: 'bridgekeeper_signing_key_age_seconds',
    help: 'Age of the active signing key (since it became active)',
    registers: [registry],
    async collect() {
      const age = keyAge ? await keyAge().catch(() => null) : null
      if (age === null) this.reset()
      else this.set(age)
    },
  })
  return {
    storeCall: (operation, outcome, seconds) => storeCalls.observe({ operation, outcome }, seconds),
    upstreamFetch: (outcome) => upstream.inc({ outcome }),
    backend: (backend, event) => backends.inc({ backend, event }),
    watchKeyAge: (age) => {
      keyAge = age
    },
    request: (route, method, status, seconds) =>
      requests.observe({ route, method, status: String(status) }, seconds),
    minted: (template, outcome) => mints.inc({ template, outcome }),
    dataDecision: (resource, operation, outcome) => decisions.inc({ resource, operation, outcome }),
    sessions: (event, count = 1) => sessions.inc({ event }, count),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  }
}
