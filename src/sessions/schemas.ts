import { z } from '@hono/zod-openapi'
import type { SessionRecord } from '../store/types'

export const SessionSchema = z
  .object({
    id: z.string().openapi({ example: 'sess_2Ht0Y6TWdtJqtB0pS1Im0Yjq9a3_9f2c' }),
    createdAt: z.string(),
    lastActiveAt: z.string(),
    expiresAt: z.string().openapi({
      description: 'When the session ends unless used (idle timeout), never past absoluteExpiresAt',
    }),
    absoluteExpiresAt: z.string(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean(),
  })
  .openapi('Session')

export const CreateSessionBody = z
  .object({
    transport: z.enum(['cookie', 'bearer']).optional().openapi({
      description:
        'cookie (default): an HttpOnly cookie; bearer: the secret in the body, for mobile and servers',
    }),
  })
  .strict()
  .openapi('CreateSession')

export const SessionCreatedSchema = z
  .object({
    session: SessionSchema,
    secret: z
      .string()
      .optional()
      .openapi({ description: 'Only with transport "bearer". Shown once.' }),
  })
  .openapi('SessionCreated')

const iso = (ms: number) => new Date(ms).toISOString()

export function sessionView(
  record: SessionRecord,
  currentId: string | undefined,
): z.infer<typeof SessionSchema> {
  return {
    id: record.id,
    createdAt: iso(record.createdAt),
    lastActiveAt: iso(record.lastActiveAt),
    expiresAt: iso(Math.min(record.idleExpiresAt, record.absoluteExpiresAt)),
    absoluteExpiresAt: iso(record.absoluteExpiresAt),
    userAgent: record.userAgent ?? null,
    ip: record.ip ?? null,
    current: record.id === currentId,
  }
}
