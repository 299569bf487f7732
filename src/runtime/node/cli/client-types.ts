import { writeFile } from 'node:fs/promises'
import type { ResourceDefinition } from '../../../data/resource'
import type { FieldSpec } from '../../../data/types'
import { assembleFromEnv } from './bridge'
import { EXIT, type CliIo } from './io'
import { reportProblems } from './policy'

const tsType = (spec: FieldSpec | undefined): string => {
  const base = spec?.type === 'number' ? 'number' : spec?.type === 'boolean' ? 'boolean' : 'string' // datetimes are ISO strings
  return spec?.nullable ? `${base} | null` : base
}

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name))

// Every field is optional: `fields=` returns a subset, Airtable leaves empty cells out, and
// whether a create needs a field is the database's to say (422 names it).
const objectType = (definition: ResourceDefinition, fields: readonly string[], indent: string) =>
  fields.length === 0
    ? 'Record<string, never>'
    : `{\n${fields.map((f) => `${indent}  ${key(f)}?: ${tsType(definition.fields[f])}`).join('\n')}\n${indent}}`

/**
 * The deployment's types for `bridgekeeper/client`, from the resources and templates this
 * environment serves: each resource's row (its readable fields), create body (the fields a
 * client may write on create) and update body, and the template names `getToken` takes.
 */
function clientTypesSource(
  resources: readonly ResourceDefinition[],
  templates: readonly string[],
): string {
  const body = resources
    .map((r) =>
      [
        `    ${key(r.name)}: {`,
        `      row: ${objectType(r, r.readable, '      ')}`,
        `      create: ${objectType(r, [...r.writable, ...(r.writableOnCreate ?? [])], '      ')}`,
        `      update: ${objectType(r, r.writable, '      ')}`,
        `    }`,
      ].join('\n'),
    )
    .join('\n')
  return [
    "// Written by `npx bridgekeeper client-types` from the deployment's resources and templates:",
    '// run it again after changing them. Use: createBridgeClient<Bridge>({ … }).',
    'export type Bridge = {',
    `  resources: {${body ? `\n${body}\n  ` : ''}}`,
    `  templates: ${templates.length > 0 ? templates.map((t) => JSON.stringify(t)).join(' | ') : 'never'}`,
    '}',
    '',
  ].join('\n')
}

/** `client-types [--out file]`: prints the types, or writes them to a file. */
export async function clientTypes(io: CliIo, options: { out?: string }): Promise<number> {
  const assembled = await assembleFromEnv(io)
  if (!assembled.ok) return reportProblems(io, false, assembled.problems)
  const { resources, templates } = assembled.bridge
  await assembled.bridge.close()
  const source = clientTypesSource(
    resources,
    templates.map((t) => t.name),
  )
  if (!options.out) {
    io.out(source.trimEnd())
    return EXIT.ok
  }
  await writeFile(options.out, source)
  io.err(`wrote ${options.out}: ${resources.length} resource(s), ${templates.length} template(s)`)
  return EXIT.ok
}
