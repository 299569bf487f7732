import { z, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../http/app-env'
import { jsonContent, problem, userSecurity } from '../openapi/schemas'
import type { Resource } from './resource'
import type { FieldSpec } from './types'

/** A field's value as the HTTP surface carries it (datetimes as ISO strings). */
function valueSchema(spec: FieldSpec): z.ZodType {
  const base =
    spec.type === 'number'
      ? z.number()
      : spec.type === 'boolean'
        ? z.boolean()
        : spec.type === 'datetime'
          ? z.string().openapi({ format: 'date-time' })
          : spec.maxLength === undefined
            ? z.string()
            : z.string().max(spec.maxLength)
  return spec.nullable ? base.nullable() : base
}

const pascal = (name: string) =>
  name.replace(/(^|-)([a-z0-9])/g, (_, __: string, letter: string) => letter.toUpperCase())

const refusals = {
  401: problem('Not signed in'),
  403: problem('The policy refuses this operation (code names the rule)'),
  404: problem('No such row for you'),
  422: problem('A field or value the policy refuses (code and field name it)'),
  429: problem('Too many requests'),
  503: problem('The backend or store is unavailable'),
}

/**
 * Each resource's own paths in /openapi.json, next to the generic `/v1/data/{resource}` ones: its
 * readable fields as the row's type, its filterable fields as `filter[…]` parameters, its sortable
 * fields in `sort`, and create and update bodies of only the fields a client may write. A client
 * generated from the document (openapi-typescript, Hono's client) is then typed per resource.
 * The generic routes serve these paths: this only describes them.
 */
export function describeResources(app: OpenAPIHono<AppEnv>, resources: readonly Resource[]) {
  for (const resource of resources) {
    const name = pascal(resource.name)
    // Every field a list names is declared (resourceProblems checked it at start-up).
    const shape = (fields: readonly string[]) =>
      Object.fromEntries(
        fields.map((field) => [
          field,
          valueSchema(resource.fields[field] ?? { type: 'string' }).optional(),
        ]),
      )
    const row = z
      .object({ id: z.string(), fields: z.object(shape(resource.readable)) })
      .openapi(`${name}Row`)
    const writable = (fields: readonly string[]) => z.object(shape(fields)).strict()
    const createBody = writable([...resource.writable, ...resource.writableOnCreate]).openapi(
      `${name}Create`,
    )
    const updateBody = writable(resource.writable).openapi(`${name}Update`)
    const sortKeys = resource.sortable.flatMap((field) => [field, `-${field}`])
    const query = z.object({
      ...Object.fromEntries(
        resource.filterable.map((field) => [
          `filter[${field}]`,
          z
            .string()
            .optional()
            .openapi({
              description: `Rows whose ${field} equals this; filter[${field}][op] for eq ne lt lte gt gte in contains`,
            }),
        ]),
      ),
      sort: z
        .string()
        .optional()
        .openapi({
          description: `Comma-separated, '-' for descending: ${sortKeys.join(', ') || '(none)'}`,
        }),
      limit: z.coerce.number().int().min(1).max(resource.maxPageSize).optional(),
      cursor: z.string().optional(),
      fields: z
        .string()
        .optional()
        .openapi({ description: `Comma-separated subset of: ${resource.readable.join(', ')}` }),
    })
    const path = `/v1/data/${resource.name}`
    const id = z.object({ id: z.string().max(128) })
    const json = (schema: z.ZodType) => ({
      content: { 'application/json': { schema } },
      required: true,
    })
    const describe = (
      method: 'get' | 'post' | 'patch' | 'delete',
      at: string,
      summary: string,
      request: Record<string, unknown>,
      responses: Record<number, unknown>,
    ) =>
      app.openAPIRegistry.registerPath({
        method,
        path: at,
        tags: [`Data: ${resource.name}`],
        summary,
        security: userSecurity,
        request,
        responses: { ...responses, ...refusals },
      })
    const { list, get, create, update, delete: remove } = resource.operations
    const rows = z.object({ data: z.array(row), nextCursor: z.string().nullable() })
    if (list)
      describe(
        'get',
        path,
        `List the ${resource.name} rows the caller may see`,
        { query },
        {
          200: jsonContent(rows, 'One page'),
        },
      )
    if (get)
      describe(
        'get',
        `${path}/{id}`,
        `One ${resource.name} row`,
        { params: id },
        {
          200: jsonContent(row, 'The row'),
        },
      )
    const writes = [
      ['post', path, 'Create a', 'the bridge sets the owner', { body: json(createBody) }, 201],
      [
        'patch',
        `${path}/{id}`,
        'Change writable fields of a',
        'in scope',
        { params: id, body: json(updateBody) },
        200,
      ],
    ] as const
    for (const [method, at, what, note, request, status] of writes)
      if (method === 'post' ? create : update)
        describe(method, at, `${what} ${resource.name} row (${note})`, request, {
          [status]: jsonContent(row, method === 'post' ? 'Created' : 'The row after the change'),
        })
    if (remove)
      describe(
        'delete',
        `${path}/{id}`,
        `Delete a ${resource.name} row`,
        { params: id },
        {
          204: { description: 'Deleted' },
        },
      )
  }
}
