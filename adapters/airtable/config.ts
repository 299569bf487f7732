import { z } from 'zod'
import type { AirtableConnection } from './airtable-adapter'

const EnvSchema = z.object({
  AIRTABLE_TOKEN: z.string().regex(/^(pat[A-Za-z0-9]{14}\.[a-f0-9]{64}|[A-Za-z0-9._-]{16,})$/, { message: 'must be an Airtable personal access token (pat…) or OAuth token' }).optional(),
  AIRTABLE_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
  AIRTABLE_BASE_ID: z.string().regex(/^app[A-Za-z0-9]{14}$/, { message: 'must be a base id (app…)' }).optional(),
  AIRTABLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  AIRTABLE_MAX_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2000),
})

export type AirtableEnv = { connection: AirtableConnection; baseId: string } | undefined

/** Airtable settings; undefined when AIRTABLE_TOKEN is not set (its resources are then not served). */
export function parseAirtableEnv(env: Record<string, unknown>): { ok: true; env: AirtableEnv } | { ok: false; problems: string[] } {
  const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string' && v !== ''))
  const parsed = EnvSchema.safeParse(strings)
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }
  const e = parsed.data
  if (!e.AIRTABLE_TOKEN) return { ok: true, env: undefined }
  if (!e.AIRTABLE_BASE_ID) return { ok: false, problems: ['AIRTABLE_BASE_ID: required when AIRTABLE_TOKEN is set'] }
  return {
    ok: true,
    env: {
      baseId: e.AIRTABLE_BASE_ID,
      connection: { token: e.AIRTABLE_TOKEN, endpointUrl: e.AIRTABLE_ENDPOINT_URL, timeoutMs: e.AIRTABLE_TIMEOUT_MS, maxWaitMs: e.AIRTABLE_MAX_WAIT_MS },
    },
  }
}
