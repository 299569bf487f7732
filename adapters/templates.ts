import type { Mode } from '../src/config/config'
import { defineJwtTemplate } from '../src/tokens/bridge-jwt'
import type { TokenTemplate } from '../src/tokens/template'
import { firebase, parseFirebaseEnv } from './firebase'
import { hasura } from './hasura'

/**
 * The token templates this bridge serves at POST /v1/tokens/{name}. Both runtime entries load
 * this list; add your own JWT templates here.
 */
export function loadTemplates(env: Record<string, unknown>, mode: Mode): { ok: true; templates: TokenTemplate[] } | { ok: false; problems: string[] } {
  const firebaseEnv = parseFirebaseEnv(env, mode)
  if (!firebaseEnv.ok) return firebaseEnv
  return {
    ok: true,
    templates: [
      hasura,
      firebase(firebaseEnv.env),
      // An example generic template, like a Clerk JWT template for a backend of your own.
      defineJwtTemplate({
        name: 'api',
        audience: 'https://api.example.com',
        lifetimeSeconds: 60,
        claims: {
          email: '{{user.email}}',
          roles: '{{user.roles}}',
          org: '{{org.id || "personal"}}',
          plan: 'free',
        },
      }),
    ],
  }
}
