import type { Hono } from 'hono'
import type { AppEnv } from '../http/app-env'
import type { CredentialVerifier } from '../identity/verifier'
import type { IdentityWebhook } from '../webhooks/identity-webhook'
import type { AuditSink } from '../audit/audit-trail'
import { z } from 'zod'
import type { Config, Mode } from '../config/config'
import type { Environment } from '../config/env-section'
import type { Driver, ResourceDefinition } from '../data/resource'
import type { Logger } from '../observability/logger'
import type { RevocationHook } from '../sessions/revocation-hook'
import type { Store } from '../store/types'
import type { TokenTemplate } from '../tokens/template'

const emptyEnv = z.object({})

export type RuntimeName = 'node' | 'workers'

/** What an adapter's setup may use: the core configuration and what the runtime provides. */
export type AdapterContext = {
  runtime: RuntimeName
  mode: Mode
  config: Config
  logger: Logger
  /** The raw environment: Workers bindings (D1, …) that aren't strings live here. */
  bindings: Environment
  /** Node: a writable folder for embedded development data (`.data/`). */
  dataDir: string | undefined
}

/** What an adapter adds to the bridge. Every member is optional. */
export type Contribution = {
  resources?: ResourceDefinition[]
  /**
   * Drivers this adapter connected, by name (`prisma`, `mongodb`, `airtable`): they bind the
   * resources that name them, from any adapter (the deployment's own, in `adapters/app/`).
   */
  drivers?: Record<string, Driver>
  templates?: TokenTemplate[]
  /** A shared store (Redis): sessions, budgets and managed keys live there. */
  store?: Store
  /** Keeps audit events for reading back (Redis Stream with AUDIT_STREAM). */
  audit?: AuditSink
  /** Runs after sessions are revoked (e.g. Firebase refresh-token revocation). */
  onSessionsRevoked?: RevocationHook
  /** Identity-provider webhooks served at POST /v1/webhooks/{provider} (Clerk, Standard Webhooks). */
  webhooks?: IdentityWebhook[]
  /**
   * Links of the authenticator chain, asked after the bridge's sessions and before upstream JWTs
   * (the last link, which claims whatever is left): each answers `not_mine` for others' credentials.
   */
  verifiers?: CredentialVerifier[]
  /** Routes of its own, mounted after the engine's (see route-modules.ts). */
  routes?: Hono<AppEnv>
  /** Lines for the start-up banner ("database: SQLite at .data/bridgekeeper.db"). */
  summary?: string[]
  /** Releases connections on shutdown. */
  close?: () => Promise<void>
}

// Methods (not function properties) so a list of differently typed modules type-checks.
/**
 * The contract of `adapters/<name>/index.ts`. The core never imports an adapter: the runtime
 * entry hands the assembly a list of these, and the assembly reads each one's environment
 * section, skips those not configured, and collects what the rest contribute.
 */
export type AdapterModule<S extends z.ZodType = z.ZodType> = {
  /** Stable id, used in problems and the banner. */
  id: string
  /** Its environment variables, with descriptions (docs/configuration.md is generated from them). */
  env: S
  /** Runtimes it can run on; configured on another runtime, it is refused at start-up. */
  runtimes: readonly RuntimeName[]
  /** Whether the environment asks for it. Absent: always on. */
  enabled?(
    env: z.output<S>,
    context: Pick<AdapterContext, 'mode' | 'runtime' | 'bindings'>,
  ): boolean
  /**
   * Where the shared store it contributes lives, known from the environment alone: the engine
   * checks it against the mode before `setup` connects (startup-checks.ts).
   */
  storeLocation?(env: z.output<S>): { setting: string; hosts: string[] } | undefined
  /** What to set to turn it on (shown at start-up while it is off). */
  hint?: string
  /**
   * Builds the contribution. Load SDKs here with `await import(…)`, so an adapter that isn't
   * configured costs nothing. Throw a ConfigError for a configuration it refuses.
   */
  setup(env: z.output<S>, context: AdapterContext): Contribution | Promise<Contribution>
}

/** Declares an adapter module; the identity function that gives `setup` its typed environment. */
export function defineAdapter<S extends z.ZodType>(module: AdapterModule<S>): AdapterModule<S> {
  return module
}

/**
 * The deployment's own adapter module (`adapters/app/`): its resources and templates, served on
 * every runtime. Resources name their drivers (`prisma.model('Post')`); a resource whose driver
 * isn't set up (no DATABASE_URL, say) is listed as off at start-up and not served.
 */
export function defineApp(app: {
  resources?: readonly ResourceDefinition[]
  templates?: readonly TokenTemplate[]
}): AdapterModule {
  return {
    id: 'app',
    env: emptyEnv,
    runtimes: ['node', 'workers'],
    setup: () => ({ resources: [...(app.resources ?? [])], templates: [...(app.templates ?? [])] }),
  }
}
