import type { Principal } from '../identity/principal'
import type { JwsSigner } from '../keys/jws'
import type { KeyProvider } from '../keys/key-provider'

/** What a template gets to mint one token. */
export type MintContext = {
  principal: Principal
  /** Unix ms, from the app's clock. */
  now: number
  /** The bridge's issuer (PUBLIC_URL). */
  issuer: string
  keys: KeyProvider
  /** Signs a compact JWS with a private key (the runtime's fastest correct signer). */
  sign: JwsSigner
}

export type MintedToken = {
  token: string
  /** Unix ms. */
  expiresAt: number
  /** For the audit log: never the token itself. */
  audit: { kid: string | undefined; jti: string | undefined; aud: string; sub: string }
}

/**
 * A token the bridge can mint for a signed-in principal: a Hasura JWT, a Firebase custom token, or
 * any JWT template. Declared in adapter modules; `src/` only runs them.
 */
export interface TokenTemplate {
  readonly name: string
  /** The longest lifetime of its tokens when signed with the bridge's keys (key retirement waits for it). */
  readonly bridgeKeyLifetimeSeconds?: number
  /** Whether this principal may use the template (403 otherwise). Default: any signed-in user. */
  allow?(principal: Principal): boolean
  mint(context: MintContext): Promise<MintedToken>
  /** Start-up check of the template's own definition; each string is one problem. */
  problems?(): string[]
  /** Settings a provider needs to trust these tokens, served at GET /v1/integrations/{name}/config. */
  integrationConfig?(bridge: {
    issuer: string
    jwksUri: string
    /** The algorithm of the key that signs now. */
    algorithm: string
  }): Record<string, unknown>
  /**
   * The provider's auth webhook (Hasura's HASURA_GRAPHQL_AUTH_HOOK), served at
   * /v1/integrations/{name}/webhook: the session variables of a signed-in principal, or why the
   * request is refused. `header` reads the headers the provider forwarded from its client.
   */
  authHook?(principal: Principal, header: (name: string) => string | undefined): AuthHookAnswer
  /**
   * The secret the provider presents in the auth webhook's URL (`?secret=…`). Without one the
   * webhook is off: it would answer anyone who asks whether a credential is valid, and for whom.
   */
  readonly authHookSecret?: string
  /** The provider's settings for calling the webhook at `url` (…/config?mode=webhook). */
  authHookConfig?(url: string): Record<string, unknown>
}

type AuthHookAnswer =
  | {
      variables: Record<string, string>
      /** The longest the provider may cache this answer; the credential's own end caps it too. */
      maxAgeSeconds: number
    }
  | { refused: string }

/** Fails start-up when two templates share a name or one reports a problem. */
export function checkTemplates(templates: TokenTemplate[], maxLifetimeSeconds: number): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const template of templates) {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(template.name))
      problems.push(
        `template "${template.name}": name must be lowercase letters, digits, "-" or "_"`,
      )
    if (seen.has(template.name)) problems.push(`template "${template.name}": defined twice`)
    seen.add(template.name)
    if ((template.bridgeKeyLifetimeSeconds ?? 0) > maxLifetimeSeconds)
      problems.push(
        `template "${template.name}": lifetime exceeds TOKEN_MAX_LIFETIME (${maxLifetimeSeconds} s)`,
      )
    for (const problem of template.problems?.() ?? [])
      problems.push(`template "${template.name}": ${problem}`)
  }
  return problems
}
