import { ConfigError } from '../../src/config/config'
import { defineAdapter } from '../../src/assembly/adapter'
import { defineFirebaseTemplate } from './firebase-template'
import { firebaseEnv, type FirebaseEnv } from './service-account'

/**
 * The Firebase custom-token template. Edit the claims to give Firebase Security Rules what they
 * need (`request.auth.token.<claim>`); reserved names are refused at start-up.
 */
function firebase(
  env: Pick<
    FirebaseEnv,
    'FIREBASE_SERVICE_ACCOUNT' | 'FIREBASE_TENANT_ID' | 'FIREBASE_TOKEN_LIFETIME'
  >,
) {
  return defineFirebaseTemplate({
    serviceAccount: env.FIREBASE_SERVICE_ACCOUNT,
    tenantId: env.FIREBASE_TENANT_ID,
    lifetimeSeconds: env.FIREBASE_TOKEN_LIFETIME,
    // `email` is not used: Firebase fills the ID token's email from the user record itself.
    claims: {
      roles: '{{user.roles}}',
      org: '{{org.id}}',
    },
  })
}

/**
 * Serves POST /v1/tokens/firebase (501 until FIREBASE_SERVICE_ACCOUNT is set). Signing needs only
 * Web Crypto, so it runs on Workers too; refresh-token revocation (./revocation.ts) is Node only.
 */
export const firebaseAdapter = defineAdapter({
  id: 'firebase',
  env: firebaseEnv,
  runtimes: ['node', 'workers'],
  setup(env, { mode, runtime }) {
    const problems: string[] = []
    // firebase-admin would talk to the emulator (and mint unsigned tokens) if this leaked into production.
    if (mode === 'production' && env.FIREBASE_AUTH_EMULATOR_HOST)
      problems.push('FIREBASE_AUTH_EMULATOR_HOST: must not be set in production')
    if (env.FIREBASE_REVOKE_ON_SIGNOUT && runtime !== 'node')
      problems.push('FIREBASE_REVOKE_ON_SIGNOUT: needs firebase-admin, which runs on Node only')
    if (problems.length > 0) throw new ConfigError(problems)
    return {
      templates: [firebase(env)],
      summary: [
        env.FIREBASE_SERVICE_ACCOUNT
          ? `custom tokens for ${env.FIREBASE_SERVICE_ACCOUNT.client_email}`
          : 'off (set FIREBASE_SERVICE_ACCOUNT)',
      ],
    }
  },
})
