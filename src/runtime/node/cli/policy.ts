import type { ResourceDefinition } from '../../../data/resource'
import { OPERATIONS } from '../../../data/types'
import { assembleFromEnv } from './bridge'
import { EXIT, print, type CliIo } from './io'

type ResourcePolicy = {
  name: string
  owner: string
  operations: Record<string, string>
  readable: string[]
  writable: string[]
  writableOnCreate: string[]
  presets: string[]
  immutable: string[]
}

/** What each operation allows, in words: `own` rows, `all` rows, a `custom` rule, or `-` (refused). */
function describe(definition: ResourceDefinition): ResourcePolicy {
  const operations: Record<string, string> = {}
  for (const operation of OPERATIONS) {
    const rule = definition.operations[operation]
    operations[operation] =
      rule === undefined
        ? '-'
        : rule === true
          ? 'yes'
          : typeof rule === 'function'
            ? 'custom'
            : rule
  }
  return {
    name: definition.name,
    owner: `${definition.owner.field} = ${definition.owner.principal}`,
    operations,
    readable: definition.readable,
    writable: definition.writable,
    writableOnCreate: definition.writableOnCreate ?? [],
    presets: [...new Set([definition.owner.field, ...Object.keys(definition.presets ?? {})])],
    immutable: [...new Set([definition.owner.field, ...(definition.immutable ?? [])])],
  }
}

const list = (values: string[]) => (values.length > 0 ? values.join(', ') : '-')

/** `policy show`: every configured resource's operations, scopes, fields and presets. */
export async function showPolicy(io: CliIo, options: { json: boolean }): Promise<number> {
  const assembled = await assembleFromEnv(io)
  if (!assembled.ok) return reportProblems(io, options.json, assembled.problems)
  try {
    const policies = assembled.bridge.resources.map(describe)
    print(io, options.json, { resources: policies }, ({ resources }) =>
      resources.length === 0
        ? ['No resources are configured.']
        : resources.flatMap((r) => [
            `${r.name}  (owner: ${r.owner})`,
            `  operations  ${OPERATIONS.map((op) => `${op}: ${r.operations[op]}`).join('  ')}`,
            `  readable    ${list(r.readable)}`,
            `  writable    ${list(r.writable)}`,
            ...(r.writableOnCreate.length > 0 ? [`  on create   ${list(r.writableOnCreate)}`] : []),
            `  presets     ${list(r.presets)} (set by the bridge)`,
            `  immutable   ${list(r.immutable)}`,
            '',
          ]),
    )
    return EXIT.ok
  } finally {
    await assembled.bridge.close()
  }
}

/** `policy check`: what start-up would refuse in the adapters' resources and this environment. */
export async function checkPolicy(io: CliIo, options: { json: boolean }): Promise<number> {
  const assembled = await assembleFromEnv(io)
  if (!assembled.ok) return reportProblems(io, options.json, assembled.problems)
  const names = assembled.bridge.resources.map((r) => r.name)
  await assembled.bridge.close()
  print(io, options.json, { ok: true, resources: names, problems: [] }, () => [
    `ok: ${names.length} resource${names.length === 1 ? '' : 's'} (${list(names)}) and the configuration would start`,
  ])
  return EXIT.ok
}

export function reportProblems(io: CliIo, json: boolean, problems: string[]): number {
  print(io, json, { ok: false, problems }, () => [
    `${problems.length} problem${problems.length === 1 ? '' : 's'} start-up would refuse:`,
    ...problems.map((p) => `  - ${p}`),
  ])
  return EXIT.failed
}
