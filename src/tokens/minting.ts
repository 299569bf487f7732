import type { AuditTrail, EventOrigin } from '../audit/audit-trail'
import { enforceBudgets } from '../budgets/enforce-budgets'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import { AppError } from '../errors/app-error'
import { userKey, type Principal } from '../identity/principal'
import type { JwsSigner } from '../keys/jws'
import type { KeyProvider } from '../keys/key-provider'
import type { Metrics } from '../observability/metrics'
import type { Store } from '../store/types'
import type { TokenTemplate } from './template'

export type Minting = ReturnType<typeof createMinting>

/**
 * Minting as one domain operation: the template's rule, the per-user and per-address budgets,
 * the signature, then its metrics and audit event (`token.minted`, or `token.refused` with the
 * code that refused it). The one place a mint's effects are decided.
 */
export function createMinting(deps: {
  config: Config
  clock: Clock
  store: Store
  keys: KeyProvider
  templates: readonly TokenTemplate[]
  sign: JwsSigner
  metrics: Metrics
  audit: AuditTrail
}) {
  const { config, clock, store, keys, sign, metrics, audit } = deps
  const templates = new Map(deps.templates.map((t) => [t.name, t]))
  const windowMs = config.minting.windowSeconds * 1000

  async function mintWith(
    template: TokenTemplate,
    principal: Principal,
    request: { origin: EventOrigin; clientKey: string },
  ) {
    if (template.allow && !template.allow(principal)) {
      throw new AppError('forbidden', {
        detail: 'This token template is not available to you.',
        reason: 'template_not_allowed',
      })
    }
    await enforceBudgets(
      store,
      clock,
      [
        { key: `mint:${userKey(principal)}`, capacity: config.minting.perUser, windowMs },
        { key: `mint-ip:${request.clientKey}`, capacity: config.minting.perIp, windowMs },
      ],
      'mint',
      { whenStoreDown: { failOpen: true, log: request.origin.log } },
    )
    const now = clock.now()
    const minted = await template.mint({ principal, now, issuer: config.publicUrl, keys, sign })
    audit.record(request.origin, 'token.minted', {
      template: template.name,
      userId: principal.userId,
      issuer: principal.issuer,
      kid: minted.audit.kid,
      jti: minted.audit.jti,
      audience: minted.audit.aud,
      subject: minted.audit.sub,
      expiresAt: new Date(minted.expiresAt).toISOString(),
      sessionId: principal.sessionId,
    })
    metrics.minted(template.name, 'issued')
    return { token: minted.token, expiresAt: minted.expiresAt, now }
  }

  return {
    template: (name: string) => templates.get(name),

    /** Mints a token of template `name` for `principal`; refusals are AppErrors, counted and audited. */
    async mint(
      name: string,
      principal: Principal,
      request: { origin: EventOrigin; clientKey: string },
    ) {
      const template = templates.get(name)
      if (!template) throw new AppError('not_found', { detail: 'No token template has this name.' })
      try {
        return await mintWith(template, principal, request)
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'internal'
        metrics.minted(template.name, code)
        audit.record(request.origin, 'token.refused', {
          template: template.name,
          userId: principal.userId,
          code,
        })
        throw error
      }
    },
  }
}
