/**
 * Renders docs/configuration.md from the environment schemas themselves: the core's and every
 * adapter's. `npm run docs:config` writes it; test/docs/configuration.test.ts fails when the
 * committed file differs from what the schemas say.
 */
import { writeFileSync } from 'node:fs'
import { z } from 'zod'
import { nodeAdapters } from '../adapters/node'
import { workersAdapters } from '../adapters/workers'
import { envSchema } from '../src/config/env-schema'

export const CONFIGURATION_DOC = 'docs/configuration.md'

type Row = {
  name: string
  section: string
  fallback: string
  description: string
  runtimes: string
}

export function renderConfigurationDocs(): string {
  const rows: Row[] = variables(envSchema, 'core', 'Node, Workers')
  const seen = new Set(rows.map((r) => r.name))
  const modules = [...nodeAdapters, ...workersAdapters].filter((m, i, all) => all.indexOf(m) === i)
  for (const module of modules) {
    const runtimes = module.runtimes.map((r) => (r === 'node' ? 'Node' : 'Workers')).join(', ')
    for (const row of variables(module.env, `adapter \`${module.id}\``, runtimes)) {
      if (seen.has(row.name)) continue
      seen.add(row.name)
      rows.push(row)
    }
  }
  const table = rows.map(
    (r) => `| \`${r.name}\` | ${r.fallback} | ${r.section} (${r.runtimes}) | ${r.description} |`,
  )
  return [
    '# Configuration',
    '',
    '<!-- Generated from the environment schemas by `npm run docs:config`; a test keeps it in step. Edit the schemas, not this file. -->',
    '',
    'Every variable the bridge reads, on Node from the environment and on Workers from the bindings',
    '(secrets through `wrangler secret put`). An empty value counts as unset. A bad value stops the',
    'start with a message that names the variable and never prints its value.',
    '',
    '| Variable | Default | Read by | Meaning |',
    '| --- | --- | --- | --- |',
    ...table,
    '',
  ].join('\n')
}

function variables(schema: z.ZodType, section: string, runtimes: string): Row[] {
  if (!(schema instanceof z.ZodObject)) return []
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    section,
    runtimes,
    fallback: defaultOf(field),
    description: (field.description ?? '').replaceAll('|', '\\|'),
  }))
}

function defaultOf(field: z.ZodType): string {
  let current: z.ZodType = field
  for (;;) {
    if (current instanceof z.ZodDefault) {
      const value: unknown = current.def.defaultValue
      return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``
    }
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable)
      current = current.unwrap() as z.ZodType
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType
    else return 'unset'
  }
}

if (process.argv[1]?.endsWith('configuration-docs.ts')) {
  writeFileSync(CONFIGURATION_DOC, renderConfigurationDocs())
  process.stdout.write(`wrote ${CONFIGURATION_DOC}\n`)
}
