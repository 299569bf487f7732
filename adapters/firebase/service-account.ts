import { z } from 'zod'
import { jsonVariable } from '../../src/config/env-schema'

/** The two members of a Google service-account JSON that minting needs. */
const ServiceAccountSchema = z.object({
  client_email: z.email({ message: 'client_email must be the service account e-mail' }),
  private_key: z.string().refine((pem) => pem.includes('-----BEGIN PRIVATE KEY-----'), {
    message: 'private_key must be a PKCS#8 PEM',
  }),
  project_id: z.string().optional(),
})
export type ServiceAccount = z.output<typeof ServiceAccountSchema>

/** The Firebase variables. Problems name the variable, never its value (a private key). */
export const firebaseEnv = z
  .object({
    FIREBASE_SERVICE_ACCOUNT: jsonVariable(ServiceAccountSchema)
      .optional()
      .describe(
        'Secret: the service-account JSON (`client_email`, `private_key`) of the Firebase project. Unset: `/v1/tokens/firebase` answers 501',
      ),
    FIREBASE_TENANT_ID: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('Identity Platform tenant of the custom tokens'),
    FIREBASE_TOKEN_LIFETIME: z.coerce
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(300)
      .describe('Custom-token lifetime in seconds (at most 3600)'),
    FIREBASE_AUTH_EMULATOR_HOST: z
      .string()
      .optional()
      .describe('Development and tests: the Firebase Auth emulator (refused in production)'),
    FIREBASE_REVOKE_ON_SIGNOUT: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true')
      .describe(
        "Node only: also revoke the user's Firebase refresh tokens when bridge sessions are revoked",
      ),
  })
  .refine((env) => !env.FIREBASE_REVOKE_ON_SIGNOUT || env.FIREBASE_SERVICE_ACCOUNT, {
    path: ['FIREBASE_REVOKE_ON_SIGNOUT'],
    message: 'needs FIREBASE_SERVICE_ACCOUNT',
  })
export type FirebaseEnv = z.output<typeof firebaseEnv>
