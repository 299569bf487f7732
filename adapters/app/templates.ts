import { defineJwtTemplate } from '../bridgekeeper'

/**
 * The deployment's JWT templates, like Clerk's JWT templates: each is served at
 * POST /v1/tokens/{name} and signed with the bridge's keys. `api` is an example for a backend of
 * your own that verifies tokens against the bridge's JWKS.
 */
export const api = defineJwtTemplate({
  name: 'api',
  audience: 'https://api.example.com',
  lifetimeSeconds: 60,
  claims: {
    email: '{{user.email}}',
    roles: '{{user.roles}}',
    org: '{{org.id || "personal"}}',
    org_role: '{{org.role}}',
    plan: 'free',
  },
})
