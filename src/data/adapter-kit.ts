import { AppError } from '../errors/app-error'
import type { FieldSpec, Row } from './types'

/**
 * What the data adapters (Prisma, MongoDB, Airtable) share, so each keeps only what its backend
 * does differently: how a failure becomes a problem, how a record becomes a row, which fields a
 * query asks for, and how values are written.
 */

/**
 * Runs backend calls so that every failure leaves as an AppError: `translate` maps the backend's
 * own errors (a duplicate key, a refused value, an unreachable server); AppErrors pass through.
 */
export function backendCalls(translate: (error: unknown) => AppError | Promise<AppError>) {
  return async function run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation()
    } catch (error) {
      throw error instanceof AppError ? error : await translate(error)
    }
  }
}

/**
 * A backend record as a row: `id` as a string, every other member a field, dates as ISO strings
 * (the HTTP surface's form). `idKey` is the record's own id member (`id`, MongoDB's `_id`).
 */
export function rowOf(id: string, record: Record<string, unknown>, idKey: string): Row {
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    if (key === idKey) continue
    fields[key] = value instanceof Date ? value.toISOString() : value
  }
  return { id, fields }
}

/** The names among `names` that are fields of the resource (a query never asks for others). */
export function knownFields(fields: Record<string, FieldSpec>, names: readonly string[]): string[] {
  return names.filter((name) => name in fields)
}

/** A value as a backend with a date type stores it: a `datetime` field's ISO string as a Date. */
export function storedValue(value: unknown, spec: FieldSpec | undefined): unknown {
  return spec?.type === 'datetime' && typeof value === 'string' ? new Date(value) : value
}
