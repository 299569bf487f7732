import type { Resource } from '../data/resource'
import type { TokenVerifier } from '../identity/upstream/upstream-verifier'
import type { JwsSigner } from '../keys/jws'
import type { Tracing } from '../log/tracing'

/** Upstream token verification in a span (a JWKS fetch, when one happens, runs inside it). */
export function tracedVerifier(verifier: TokenVerifier, tracing: Tracing): TokenVerifier {
  return {
    handles: (issuer) => verifier.handles(issuer),
    verify: (token, issuer) =>
      tracing.span('bridgekeeper.upstream.verify', { 'bridgekeeper.issuer': issuer }, () =>
        verifier.verify(token, issuer),
      ),
  }
}

/** Token signing in a span, named by algorithm. */
export function tracedSigner(sign: JwsSigner, tracing: Tracing): JwsSigner {
  return (header, payload, key) =>
    tracing.span('bridgekeeper.sign', { 'bridgekeeper.alg': key.alg }, () =>
      sign(header, payload, key),
    )
}

/** Each backend call of a resource in a span: `bridgekeeper.backend.find`, `.get`, … */
export function tracedResource(resource: Resource, tracing: Tracing): Resource {
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
