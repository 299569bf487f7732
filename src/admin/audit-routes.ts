import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AuditTrail } from '../audit/audit-trail'
import { AppError } from '../errors/app-error'
import type { AppEnv } from '../http/app-env'
import { jsonContent, problem } from '../openapi/schemas'

const read = createRoute({
  method: 'get',
  path: '/v1/admin/audit',
  tags: ['Admin'],
  summary: 'Read the stored audit trail, oldest first (needs AUDIT_STREAM)',
  security: [{ adminKey: [] }],
  request: {
    query: z.object({
      userId: z.string().min(1).max(256).optional(),
      since: z.iso
        .datetime({ offset: true })
        .optional()
        .openapi({ description: 'Events at or after this time (ISO 8601)' }),
      cursor: z
        .string()
        .regex(/^\d{1,16}-\d{1,16}$/, 'a nextCursor from an earlier page')
        .optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({
        events: z.array(z.record(z.string(), z.unknown())),
        nextCursor: z.string().nullable(),
      }),
      'One page of events (fields per event: docs/audit.md)',
    ),
    401: problem('Missing or wrong admin API key'),
    501: problem('No audit stream is configured: the log is the only record'),
  },
})

/** GET /v1/admin/audit: the audit stream read back, filtered by user and time. */
export function adminAuditRoutes(audit: AuditTrail) {
  return new OpenAPIHono<AppEnv>().openapi(read, async (c) => {
    const sink = audit.sink
    if (!sink)
      throw new AppError('not_configured', {
        detail:
          'Audit events are written to the log only; set AUDIT_STREAM (with REDIS_URL) to keep them for reading back.',
      })
    const query = c.req.valid('query')
    const page = await sink.read({
      userId: query.userId,
      since: query.since === undefined ? undefined : Date.parse(query.since),
      after: query.cursor,
      limit: query.limit,
    })
    return c.json({ events: page.events, nextCursor: page.next }, 200)
  })
}
