import type { ResourceDefinition } from '../src/data/resource'
import { apartments, parseAirtableEnv } from './airtable'
import { posts } from './prisma'

/** What the runtime opened for the adapters: a Prisma client (Node: PostgreSQL or SQLite; Workers: D1). */
export type RuntimeBackends = { prisma?: { client: object; provider: 'postgresql' | 'sqlite' } }

/**
 * The data resources this bridge serves at /v1/data/{name}. Each is declared in its adapter's
 * folder with its policy; add yours here. Resources of a backend that isn't configured are
 * left out (and said so at start-up).
 */
export function loadResources(env: Record<string, unknown>, backends: RuntimeBackends = {}): { ok: true; resources: ResourceDefinition[]; skipped: string[] } | { ok: false; problems: string[] } {
  const airtable = parseAirtableEnv(env)
  if (!airtable.ok) return airtable
  const resources: ResourceDefinition[] = []
  const skipped: string[] = []
  if (airtable.env) {
    const { baseId, connection } = airtable.env
    resources.push(apartments({ baseId, connection: () => connection }))
  } else {
    skipped.push('apartments (set AIRTABLE_TOKEN and AIRTABLE_BASE_ID)')
  }
  if (backends.prisma) {
    const { client, provider } = backends.prisma
    resources.push(posts({ client: () => client, provider }))
  } else {
    skipped.push('posts (no database)')
  }
  return { ok: true, resources, skipped }
}
