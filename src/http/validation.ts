import type { z } from 'zod'
import { AppError } from '../errors/app-error'

type HookResult = { success: true } | { success: false; error: z.ZodError }

/**
 * `defaultHook` for every OpenAPI route: a request that fails its schema answers 422 with the
 * fields named (never the values, which may be secrets).
 */
export function validationHook(result: HookResult): void {
  if (result.success) return
  throw new AppError('validation_failed', {
    extensions: {
      errors: result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    },
  })
}
