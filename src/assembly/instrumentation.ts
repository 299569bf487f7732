import type { Resource } from '../data/resource'
import type { TokenVerifier } from '../identity/upstream/upstream-verifier'
import type { JwsSigner } from '../keys/jws'
import type { Tracing } from '../observability/tracing'
import type { Clock } from '../clock'
import { countedFetch, type FetchLike } from '../http/bounded-fetch'
import { activeKeyAge } from '../keys/key-age'
import type { KeyProvider } from '../keys/key-provider'
import { noMetrics, type Metrics } from '../observability/metrics'
import { instrumentedStore } from '../store/instrumented-store'
import type { Store } from '../store/types'

/**
 * Metrics and tracing, applied in one place: every part the engine builds passes through here,
 * and comes back wrapped when the runtime counts (METRICS_TOKEN) or traces (an OpenTelemetry
 * SDK), or unchanged when it does neither.
 */
export function instrumentation(metrics: Metrics | undefined, tracing: Tracing | undefined) {
  const wrap = <T>(part: T, traced: (part: T, tracing: Tracing) => T) =>
    tracing ? traced(part, tracing) : part
  return {
    /** Every store call timed (bridgekeeper_store_call_duration_seconds) and in a span. */
    store: (store: Store) =>
      metrics || tracing ? instrumentedStore(store, metrics ?? noMetrics, tracing) : store,
    /** Fetches of issuers' JWKS and discovery documents, counted. */
    fetch: (fetchLike: FetchLike | undefined): FetchLike | undefined =>
      metrics
        ? countedFetch(fetchLike ?? ((input, init) => fetch(input, init)), metrics)
        : fetchLike,
    signer: (sign: JwsSigner) => wrap(sign, tracedSigner),
    verifier: (verifier: TokenVerifier) => wrap(verifier, tracedVerifier),
    resource: (resource: Resource) => wrap(resource, tracedResource),
    /** The active signing key's age, reported at every scrape. */
    watchKeys(keys: KeyProvider, clock: Clock) {
      metrics?.watchKeyAge(activeKeyAge(keys, clock))
    },
  }
}

/** Upstream token verification in a span (a JWKS fetch, when one happens, runs inside it). */
function tracedVerifier(verifier: TokenVerifier, tracing: Tracing): TokenVerifier {
  return {
    handles: (issuer) => verifier.handles(issuer),
    verify: (token, issuer) =>
      tracing.span('bridgekeeper.upstream.verify', { 'bridgekeeper.issuer': issuer }, () =>
        verifier.verify(token, issuer),
      ),
  }
}

/** Token signing in a span, named by algorithm. */
function tracedSigner(sign: JwsSigner, tracing: Tracing): JwsSigner {
  return (header, payload, key) =>
    tracing.span('bridgekeeper.sign', { 'bridgekeeper.alg': key.alg }, () =>
      sign(header, payload, key),
    )
}

/** Each backend call of a resource in a span: `bridgekeeper.backend.find`, `.get`, … */
function tracedResource(resource: Resource, tracing: Tracing): Resource {
  const adapter = resource.adapter
  const attributes = {
    'bridgekeeper.resource': resource.name,
    'bridgekeeper.backend': adapter.kind,
  }
  const span = <T>(operation: string, run: () => Promise<T>) =>
    tracing.span(`bridgekeeper.backend.${operation}`, attributes, run)
  return {
    ...resource,
    adapter: {
      ...adapter,
      find: (query) => span('find', () => adapter.find(query)),
      get: (id, where) => span('get', () => adapter.get(id, where)),
      create: (records) => span('create', () => adapter.create(records)),
      update: (id, where, values) => span('update', () => adapter.update(id, where, values)),
      delete: (id, where) => span('delete', () => adapter.delete(id, where)),
    },
  }
}
