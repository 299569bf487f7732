import type { Context } from 'hono'
import type { z } from 'zod'
import type { AppEnv } from './app-env'
import { AppError } from '../errors/app-error'
import { hasBody } from './json-bodies'
import { validationHook } from './validation'

/** Reads a JSON body that may be absent (then `{}`), validated like any route body. */
export async function readOptionalJson<T extends z.ZodType>(
  c: Context<AppEnv>,
  schema: T,
): Promise<z.output<T>> {
  // No declared body: nothing to read (and no stream to build).
  const text = hasBody(c) ? await c.req.text() : ''
  let value: unknown = {}
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text)
    } catch {
      throw new AppError('malformed_json')
    }
  }
  const result = schema.safeParse(value)
  validationHook(result)
  if (!result.success) throw new AppError('validation_failed')
  return result.data
}
