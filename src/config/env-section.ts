import type { z } from 'zod'

/** The one result shape of every configuration reader: a value, or problems safe to print. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] }

/** An environment as runtimes give it: process.env on Node, the bindings object on Workers. */
export type Environment = Record<string, unknown>

/**
 * Reads one section of the environment (the core's or an adapter's variables) with its zod
 * schema. Only non-empty strings count as set, so `FOO=` means unset on every runtime. Problems
 * name the variable and what is wrong with it, never its value: several variables are secrets.
 */
export function parseEnvSection<S extends z.ZodType>(
  schema: S,
  env: Environment,
): Parsed<z.output<S>> {
  const parsed = schema.safeParse(stringsOf(env))
  if (parsed.success) return { ok: true, value: parsed.data }
  return { ok: false, problems: parsed.error.issues.map(formatIssue) }
}

function stringsOf(env: Environment): Record<string, string> {
  const strings: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' && value !== '') strings[name] = value
  }
  return strings
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const [variable, ...rest] = issue.path.map(String)
  const where = rest.length > 0 ? `${variable} (at ${rest.join('.')})` : variable
  return `${where ?? 'environment'}: ${issue.message}`
}
