import { z } from 'zod'
import { jsonVariable } from '../../src/config/env-schema'

/** The two members of a Google service-account JSON that minting needs. */
export const ServiceAccountSchema = z.object({
  client_email: z.email({ message: 'client_email must be the service account e-mail' }),
  private_key: z
    .string()
    .refine((pem) => pem.includes('-----BEGIN PRIVATE KEY-----'), { message: 'private_key must be a PKCS#8 PEM' }),
  project_id: z.string().optional(),
})
export type ServiceAccount = z.output<typeof ServiceAccountSchema>

export type FirebaseEnv = {
  serviceAccount: ServiceAccount | undefined
  /** Node only: revoke the user's Firebase refresh tokens when bridge sessions are revoked. */
  revokeOnSignOut: boolean
  tenantId: string | undefined
  lifetimeSeconds: number
}

const EnvSchema = z.object({
  FIREBASE_SERVICE_ACCOUNT: jsonVariable(ServiceAccountSchema).optional(),
  FIREBASE_TENANT_ID: z.string().min(1).max(128).optional(),
  FIREBASE_TOKEN_LIFETIME: z.coerce.number().int().min(1).max(3600).default(300),
  FIREBASE_AUTH_EMULATOR_HOST: z.string().optional(),
  FIREBASE_REVOKE_ON_SIGNOUT: z.enum(['true', 'false']).default('false'),
  BRIDGE_MODE: z.string().optional(),
})

/** Reads the Firebase settings; problems name the variable, never its value (a private key). */
export function parseFirebaseEnv(env: Record<string, unknown>, mode: 'development' | 'production'): { ok: true; env: FirebaseEnv } | { ok: false; problems: string[] } {
  const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string' && v !== ''))
  const parsed = EnvSchema.safeParse(strings)
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.map(String).join(' (at ')}${i.path.length > 1 ? ')' : ''}: ${i.message}`) }
  }
  if (mode === 'production' && parsed.data.FIREBASE_AUTH_EMULATOR_HOST) {
    // firebase-admin would talk to the emulator (and mint unsigned tokens) if this leaked into production.
    return { ok: false, problems: ['FIREBASE_AUTH_EMULATOR_HOST: must not be set in production'] }
  }
  if (parsed.data.FIREBASE_REVOKE_ON_SIGNOUT === 'true' && !parsed.data.FIREBASE_SERVICE_ACCOUNT) {
    return { ok: false, problems: ['FIREBASE_REVOKE_ON_SIGNOUT: needs FIREBASE_SERVICE_ACCOUNT'] }
  }
  return {
    ok: true,
    env: {
      serviceAccount: parsed.data.FIREBASE_SERVICE_ACCOUNT,
      revokeOnSignOut: parsed.data.FIREBASE_REVOKE_ON_SIGNOUT === 'true',
      tenantId: parsed.data.FIREBASE_TENANT_ID,
      lifetimeSeconds: parsed.data.FIREBASE_TOKEN_LIFETIME,
    },
  }
}
