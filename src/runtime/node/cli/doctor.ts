import type { Bridge } from '../../../assembly/assemble'
import { noMetrics } from '../../../observability/metrics'
import { assembleFromEnv } from './bridge'
import { EXIT, print, table, type CliIo } from './io'

type Check = { check: string; ok: boolean; detail: string }

const TIMEOUT_MS = 5000

/** The reason of a failure, without a stack or a secret: the innermost cause's message. */
function reason(error: unknown): string {
  let current = error
  while (current instanceof Error && current.cause instanceof Error) current = current.cause
  const message = current instanceof Error ? current.message : String(current)
  return message.length > 0 ? message : 'failed'
}

async function timed(check: string, run: () => Promise<string>): Promise<Check> {
  const started = performance.now()
  try {
    const detail = await Promise.race([
      run(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
      ),
    ])
    return { check, ok: true, detail: `${detail} (${Math.round(performance.now() - started)} ms)` }
  } catch (error) {
    return { check, ok: false, detail: reason(error) }
  }
}

/** Where the store is, from the start-up summary (host and port only: never a URL's password). */
function storeAddress(bridge: Bridge): string {
  const line = bridge.summary.find((l) => l.includes('store on '))
  return line ? line.slice(line.indexOf('store on ') + 'store on '.length) : 'the store'
}

async function fetchJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' })
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  return (await response.json()) as Record<string, unknown>
}

function checksOf(bridge: Bridge): Promise<Check>[] {
  const { config, store, keys } = bridge
  return [
    timed(`store (${store.kind})`, async () => {
      // A client connects in the background: give it two seconds before calling it down.
      const deadline = performance.now() + 2000
      for (;;) {
        try {
          await store.ping()
          return 'answers'
        } catch (error) {
          if (performance.now() > deadline)
            throw new Error(
              /writeable|connect|ECONNREFUSED/i.test(reason(error))
                ? `cannot connect: ${storeAddress(bridge)} refuses or doesn't answer`
                : reason(error),
            )
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
    }),
    timed('signing keys', async () => {
      const key = await keys.activeKey()
      return `${keys.kind}, active ${key.kid} (${key.alg})`
    }),
    ...bridge.resources.map((definition) =>
      timed(`data ${definition.name}`, async () => {
        // A second adapter over the connection the resource's adapter module opened.
        const adapter = definition.backend({
          store,
          clock: bridge.clock,
          logger: bridge.logger,
          metrics: noMetrics,
          fields: definition.fields,
        })
        await adapter.find({ where: [], sort: [], limit: 1, cursor: undefined, fields: [] })
        return `${adapter.kind} answers`
      }),
    ),
    ...config.upstream.issuers.map((issuer) =>
      timed(`issuer ${issuer.issuer}`, async () => {
        let jwksUri = issuer.jwksUri
        if (!jwksUri) {
          const discovery = await fetchJson(
            `${issuer.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
          )
          if (discovery.issuer !== issuer.issuer)
            throw new Error(`discovery names issuer ${String(discovery.issuer)}`)
          if (typeof discovery.jwks_uri !== 'string') throw new Error('discovery has no jwks_uri')
          jwksUri = discovery.jwks_uri
        }
        const jwks = await fetchJson(jwksUri)
        const count = Array.isArray(jwks.keys) ? jwks.keys.length : 0
        if (count === 0) throw new Error(`${jwksUri} holds no keys`)
        return `${count} key${count === 1 ? '' : 's'} at ${jwksUri}`
      }),
    ),
  ]
}

/**
 * `doctor`: the configuration, then everything it points at (the store, the signing keys, each
 * resource's backend, each upstream issuer's discovery document and JWKS), each with pass or
 * fail and why. Exit 1 when anything fails.
 */
export async function doctor(io: CliIo, options: { json: boolean }): Promise<number> {
  const assembled = await assembleFromEnv(io)
  let checks: Check[]
  if (!assembled.ok) {
    checks = [{ check: 'configuration', ok: false, detail: assembled.problems.join('; ') }]
  } else {
    try {
      checks = [
        { check: 'configuration', ok: true, detail: `${assembled.bridge.config.mode} mode` },
        ...(await Promise.all(checksOf(assembled.bridge))),
      ]
    } finally {
      await assembled.bridge.close()
    }
  }
  const ok = checks.every((c) => c.ok)
  print(io, options.json, { ok, checks }, () => [
    ...table(checks.map((c) => [c.ok ? 'pass' : 'FAIL', c.check, c.detail])),
    ok ? 'All checks passed.' : `${checks.filter((c) => !c.ok).length} check(s) failed.`,
  ])
  return ok ? EXIT.ok : EXIT.failed
}
