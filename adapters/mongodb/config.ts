import { z } from 'zod'

const EnvSchema = z.object({
  MONGODB_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// or mongodb+srv:// URL' }).optional(),
  MONGODB_DATABASE: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, { message: 'must be a database name' }).default('bridgekeeper'),
})

/** MongoDB settings (Node only); undefined when MONGODB_URL is not set. Problems never print the URL. */
export function parseMongoEnv(env: Record<string, unknown>): { ok: true; env: { url: string; database: string } | undefined } | { ok: false; problems: string[] } {
  const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string' && v !== ''))
  const parsed = EnvSchema.safeParse(strings)
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }
  return { ok: true, env: parsed.data.MONGODB_URL ? { url: parsed.data.MONGODB_URL, database: parsed.data.MONGODB_DATABASE } : undefined }
}
