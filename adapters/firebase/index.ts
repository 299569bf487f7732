import { defineFirebaseTemplate } from './firebase-template'
import type { FirebaseEnv } from './service-account'

/**
 * The Firebase custom-token template. Edit the claims to give Firebase Security Rules what they
 * need (`request.auth.token.<claim>`); reserved names are refused at start-up.
 */
export function firebase(env: FirebaseEnv) {
  return defineFirebaseTemplate({
    serviceAccount: env.serviceAccount,
    tenantId: env.tenantId,
    lifetimeSeconds: env.lifetimeSeconds,
    // `email` is not used: Firebase fills the ID token's email from the user record itself.
    claims: {
      roles: '{{user.roles}}',
      org: '{{org.id}}',
    },
  })
}

export { defineFirebaseTemplate } from './firebase-template'
export { parseFirebaseEnv } from './service-account'
