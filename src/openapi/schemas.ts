import { z } from '@hono/zod-openapi'

/** RFC 9457 problem body, as every error response carries it. */
const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:bridgekeeper:problem:not_found' }),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ example: 'not_found' }),
    requestId: z.string().openapi({ example: 'req_2Ht0Y6TWdtJqtB0pS1Im0Yjq9a3' }),
    detail: z.string().optional(),
  })
  .openapi('Problem')

/** The `responses` entry for a problem status. */
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
})

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

/** Routes that take a signed-in user: an upstream JWT or session secret as bearer, or the session cookie. */
export const userSecurity: Record<string, string[]>[] = [{ bearer: [] }, { sessionCookie: [] }]
