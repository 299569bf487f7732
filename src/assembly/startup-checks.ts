import type { Config } from '../config/config'
import { isLoopbackHost } from '../config/config'
import { resourceProblems } from '../data/resource'
import { devIssuerOf } from '../identity/dev-issuer'
import { userNamespaces } from '../identity/namespaces'
import type { Store } from '../store/types'
import { checkTemplates } from '../tokens/template'
import type { Contribution } from './adapter'

/**
 * The start-up rules that span the core and the adapters, in one place. Each returns problems
 * (never throws), so assembleBridge reports every problem of every section in one ConfigError.
 */

/** The user-id namespaces of the configured issuers (and their problems). */
export function namespacesOf(config: Config) {
  return userNamespaces({
    upstream: config.upstream.issuers,
    devIssuer: config.mode === 'development' ? devIssuerOf(config.publicUrl) : undefined,
    bridgeIssuer: config.publicUrl,
  })
}

/** What the adapters declared: templates, resources (names unique), webhooks of known issuers. */
export function definitionProblems(config: Config, contributions: readonly Contribution[]) {
  const templates = contributions.flatMap((c) => c.templates ?? [])
  const definitions = contributions.flatMap((c) => c.resources ?? [])
  const namespaces = namespacesOf(config)
  const problems = [
    ...checkTemplates(templates, config.keys.maxTokenLifetimeSeconds),
    ...definitions.flatMap(resourceProblems),
    ...namespaces.problems,
  ]
  const names = definitions.map((d) => d.name)
  for (const name of new Set(names))
    if (names.filter((n) => n === name).length > 1)
      problems.push(`resource "${name}": defined twice`)
  for (const hook of contributions.flatMap((c) => c.webhooks ?? []))
    if (!namespaces.of(hook.issuer))
      problems.push(
        `webhook "${hook.provider}": its issuer ${hook.issuer} is not one of UPSTREAM_ISSUERS`,
      )
  return problems
}

/** At most one adapter keeps the store and one the audit events. */
export function contributionProblems(contributions: readonly Contribution[]) {
  const problems: string[] = []
  if (contributions.filter((c) => c.audit).length > 1)
    problems.push('audit: more than one adapter keeps audit events; configure one')
  if (contributions.filter((c) => c.store).length > 1)
    problems.push('store: more than one adapter contributes a store; configure one')
  const drivers = contributions.flatMap((c) => Object.keys(c.drivers ?? {}))
  for (const name of new Set(drivers.filter((name, i) => drivers.indexOf(name) !== i)))
    problems.push(`driver "${name}": more than one adapter connects it; configure one`)
  return problems
}

export const STORE_REQUIRED =
  'REDIS_URL: required in production (the in-memory store loses sessions and is per-process); on Workers, bind the STORE Durable Object'

/** Production needs a shared store; one the caller injected (tests, benchmarks) is its own choice. */
export function storeProblems(config: Config, store: Store, injected: boolean) {
  if (config.mode === 'production' && store.kind === 'memory' && !injected) return [STORE_REQUIRED]
  return []
}

/**
 * A shared store on another machine means a deployment: development mode (which signs anyone in
 * at /dev/token) must then be asked for by name. Checked before the adapter connects.
 */
export function remoteStoreProblems(
  config: Config,
  location: { setting: string; hosts: readonly string[] } | undefined,
) {
  if (!location || config.mode !== 'development' || config.modeExplicit) return []
  if (location.hosts.every((host) => isLoopbackHost(host))) return []
  return [
    `${location.setting}: is not on loopback, so the mode must be set: BRIDGE_MODE=production (or BRIDGE_MODE=development on loopback)`,
  ]
}
