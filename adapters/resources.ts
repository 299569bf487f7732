import type { ResourceDefinition } from '../src/data/resource'
import { apartments, parseAirtableEnv } from './airtable'

/**
 * The data resources this bridge serves at /v1/data/{name}. Each is declared in its adapter's
 * folder with its policy; add yours here. Resources of a backend that isn't configured are
 * left out (and said so at start-up).
 */
export function loadResources(env: Record<string, unknown>): { ok: true; resources: ResourceDefinition[]; skipped: string[] } | { ok: false; problems: string[] } {
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
  return { ok: true, resources, skipped }
}
