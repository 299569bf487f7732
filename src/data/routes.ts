import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../http/app-env'
import { recordAudit } from '../http/request-context'
import type { CursorCodec } from './cursor'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import { AppError } from '../errors/app-error'
import { principalOf, type Authenticator } from '../identity/authenticator'
import { userKey } from '../identity/principal'
import { jsonContent, problem, userSecurity } from '../openapi/schemas'
import { enforceBudgets } from '../budgets/enforce-budgets'
import type { Metrics } from '../log/metrics'
import type { Store } from '../store/types'
import { dataService } from './data-service'
import type { Resource } from './resource'

const RecordSchema = z
  .object({ id: z.string(), fields: z.record(z.string(), z.unknown()) })
  .openapi('DataRecord')
const Params = z.object({ resource: z.string().max(64) })
const IdParams = Params.extend({ id: z.string().max(128) })
const denials = {
  401: problem('Not signed in'),
  403: problem('The policy refuses this operation (code names the rule)'),
  404: problem('No such resource, or no such row for you'),
  422: problem('A field or value the policy refuses (code and field name it)'),
  429: problem('Too many requests'),
  502: problem('The backend answered with an error'),
  503: problem('The backend or store is unavailable'),
  504: problem('The backend did not answer in time'),
}
const body = {
  content: {
    'application/json': {
      schema: z
        .unknown()
        .openapi({ description: 'Fields object (or, for create, an array of them)' }),
    },
  },
  required: true,
}

const PermissionsSchema = z
  .object({
    resource: z.string(),
    id: z.string().nullable(),
    operations: z.object({
      list: z.boolean(),
      get: z.boolean(),
      create: z.boolean(),
      update: z.boolean(),
      delete: z.boolean(),
    }),
    fields: z.object({
      readable: z.array(z.string()),
      creatable: z.array(z.string()),
      updatable: z.array(z.string()),
    }),
  })
  .openapi('Permissions')
const resourcePermissions = createRoute({
  method: 'get',
  path: '/v1/data/{resource}/permissions',
  tags: ['Data'],
  summary:
    'What the policy lets the caller do on this resource (list, create), and with which fields',
  security: userSecurity,
  request: { params: Params },
  responses: {
    200: jsonContent(PermissionsSchema, 'The answer of the enforcing policy'),
    ...denials,
  },
})
const rowPermissions = createRoute({
  method: 'get',
  path: '/v1/data/{resource}/{id}/permissions',
  tags: ['Data'],
  summary: 'What the policy lets the caller do on this row (update, delete), and with which fields',
  security: userSecurity,
  request: { params: IdParams },
  responses: {
    200: jsonContent(PermissionsSchema, 'The answer of the enforcing policy'),
    ...denials,
  },
})

const list = createRoute({
  method: 'get',
  path: '/v1/data/{resource}',
  tags: ['Data'],
  summary: 'List the rows the policy lets the caller see',
  description:
    'Query: filter[Field]=value, filter[Field][op]=value (eq ne lt lte gt gte in contains), sort=a,-b, limit (≤ 100), cursor, fields=a,b',
  security: userSecurity,
  request: { params: Params },
  responses: {
    200: jsonContent(
      z.object({ data: z.array(RecordSchema), nextCursor: z.string().nullable() }),
      'One page',
    ),
    400: problem('Bad cursor'),
    409: problem('The cursor expired'),
    ...denials,
  },
})
const getOne = createRoute({
  method: 'get',
  path: '/v1/data/{resource}/{id}',
  tags: ['Data'],
  summary: 'One row',
  security: userSecurity,
  request: { params: IdParams },
  responses: { 200: jsonContent(RecordSchema, 'The row'), ...denials },
})
const create = createRoute({
  method: 'post',
  path: '/v1/data/{resource}',
  tags: ['Data'],
  summary: 'Create a row (the owner is set by the bridge)',
  security: userSecurity,
  request: { params: Params, body },
  responses: {
    201: jsonContent(z.union([RecordSchema, z.object({ data: z.array(RecordSchema) })]), 'Created'),
    409: problem('A unique constraint refused it'),
    ...denials,
  },
})
const update = createRoute({
  method: 'patch',
  path: '/v1/data/{resource}/{id}',
  tags: ['Data'],
  summary: 'Change writable fields of a row in scope',
  security: userSecurity,
  request: { params: IdParams, body },
  responses: {
    200: jsonContent(RecordSchema, 'The row after the change'),
    409: problem('A unique constraint refused it'),
    ...denials,
  },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/data/{resource}/{id}',
  tags: ['Data'],
  summary: 'Delete a row in scope',
  security: userSecurity,
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...denials },
})

/** /v1/data/{resource}: the row-level data proxy. */
export function dataRoutes(deps: {
  config: Config
  clock: Clock
  store: Store
  resources: Resource[]
  auth: Authenticator
  cursors: CursorCodec
  metrics: Metrics
}) {
  const { cursors } = deps
  const { config, clock, store, auth } = deps
  const resources = new Map(deps.resources.map((r) => [r.name, r]))
  const windowMs = config.data.windowSeconds * 1000
  const app = new OpenAPIHono<AppEnv>()
  app.use('/v1/data/*', auth.requireUser())
  app.use('/v1/data/*', async function dataRateLimit(c: Context<AppEnv>, next) {
    await enforceBudgets(
      store,
      clock,
      [
        { key: `data:${userKey(principalOf(c))}`, capacity: config.data.perUser, windowMs },
        { key: `data-ip:${c.get('clientKey')}`, capacity: config.data.perIp, windowMs },
      ],
      'data',
      { whenStoreDown: { failOpen: true, log: c.get('log') } },
    )
    await next()
  })

  const serviceFor = (c: Context<AppEnv>, name: string) => {
    const resource = resources.get(name)
    if (!resource) throw new AppError('not_found', { detail: 'No resource has this name.' })
    return dataService(resource, principalOf(c), c.get('log'), {
      cursors,
      store,
      clock,
      metrics: deps.metrics,
      audit: (event, fields) => recordAudit(c, event, fields),
    })
  }

  // Before `/{id}`, so the resource-level question isn't read as a row id.
  return app
    .openapi(resourcePermissions, async (c) =>
      c.json(await serviceFor(c, c.req.valid('param').resource).permissions(), 200),
    )
    .openapi(rowPermissions, async (c) => {
      const { resource, id } = c.req.valid('param')
      return c.json(await serviceFor(c, resource).permissions(id), 200)
    })
    .openapi(list, async (c) =>
      c.json(
        await serviceFor(c, c.req.valid('param').resource).list(new URL(c.req.url).searchParams),
        200,
      ),
    )
    .openapi(getOne, async (c) => {
      const { resource, id } = c.req.valid('param')
      return c.json(await serviceFor(c, resource).get(id), 200)
    })
    .openapi(create, async (c) => {
      const service = serviceFor(c, c.req.valid('param').resource)
      return c.json(await service.create(c.req.valid('json')), 201)
    })
    .openapi(update, async (c) => {
      const { resource, id } = c.req.valid('param')
      return c.json(await serviceFor(c, resource).update(id, c.req.valid('json')), 200)
    })
    .openapi(remove, async (c) => {
      const { resource, id } = c.req.valid('param')
      await serviceFor(c, resource).delete(id)
      return c.body(null, 204)
    })
}
