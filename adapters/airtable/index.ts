import { z } from 'zod'
import { defineAdapter } from '../../src/assembly/adapter'

const airtableEnv = z
  .object({
    AIRTABLE_TOKEN: z
      .string()
      .regex(/^(pat[A-Za-z0-9]{14}\.[a-f0-9]{64}|[A-Za-z0-9._-]{16,})$/, {
        message: 'must be an Airtable personal access token (pat…) or OAuth token',
      })
      .optional()
      .describe(
        'Secret: a personal access token (`pat…`). Unset: the Airtable resources are not served',
      ),
    AIRTABLE_BASE_ID: z
      .string()
      .regex(/^app[A-Za-z0-9]{14}$/, { message: 'must be a base id (app…)' })
      .optional()
      .describe('The base of the `airtable.table(…)` resources (`app…`)'),
    AIRTABLE_ENDPOINT_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'Where Airtable is (default `https://api.airtable.com`); tests and `npm run airtable:local` point it elsewhere',
      ),
    AIRTABLE_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(10_000)
      .describe('Per-call timeout'),
    AIRTABLE_MAX_WAIT_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(30_000)
      .default(2000)
      .describe("How long a request may wait for the base's shared 5 req/s budget before 503"),
  })
  .refine((env) => !env.AIRTABLE_TOKEN || env.AIRTABLE_BASE_ID, {
    path: ['AIRTABLE_BASE_ID'],
    message: 'required when AIRTABLE_TOKEN is set',
  })

/** The Airtable driver: `airtable.table(…)` resources on a base. The SDK is loaded only when configured. */
export const airtableAdapter = defineAdapter({
  id: 'airtable',
  env: airtableEnv,
  runtimes: ['node', 'workers'],
  enabled: (env) => env.AIRTABLE_TOKEN !== undefined,
  hint: 'set AIRTABLE_TOKEN and AIRTABLE_BASE_ID',
  async setup(env) {
    const { airtableDriver } = await import('./airtable-adapter')
    const baseId = env.AIRTABLE_BASE_ID ?? ''
    const connection = {
      token: env.AIRTABLE_TOKEN ?? '',
      endpointUrl: env.AIRTABLE_ENDPOINT_URL,
      timeoutMs: env.AIRTABLE_TIMEOUT_MS,
      maxWaitMs: env.AIRTABLE_MAX_WAIT_MS,
    }
    return {
      drivers: { airtable: airtableDriver({ baseId, connection: () => connection }) },
      summary: [`base ${baseId}`],
    }
  },
})
