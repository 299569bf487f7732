import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../http/app-env'
import { originOf } from '../http/request-context'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import { AppError } from '../errors/app-error'
import { principalOf, type Authenticator } from '../identity/authenticator'
import { userKey } from '../identity/principal'
import { jsonContent, problem, userSecurity } from '../openapi/schemas'
import { enforceBudgets } from '../budgets/enforce-budgets'
import type { Store } from '../store/types'
import type { Caller, DataService } from './data-service'
import { describeResources } from './resource-api'

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

export const PermissionsSchema = z
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

/** /v1/data/{resource}: the row-level data proxy over each resource's data service. */
export function dataRoutes(deps: {
  config: Config
  clock: Clock
  store: Store
  dataServices: readonly DataService[]
  auth: Authenticator
}) {
  const { config, clock, store, auth } = deps
  const services = new Map(deps.dataServices.map((s) => [s.resource.name, s]))
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

  /** The resource's service and the caller, as every handler needs them. */
  const serviceFor = (c: Context<AppEnv>, name: string): [DataService, Caller] => {
    const service = services.get(name)
    if (!service) throw new AppError('not_found', { detail: 'No resource has this name.' })
    return [service, { principal: principalOf(c), origin: originOf(c) }]
  }

  describeResources(
    app,
    deps.dataServices.map((service) => service.resource),
  )
  // Before `/{id}`, so the resource-level question isn't read as a row id.
  return app
    .openapi(resourcePermissions, async (c) => {
      const [service, caller] = serviceFor(c, c.req.valid('param').resource)
      return c.json(await service.permissions(caller), 200)
    })
    .openapi(rowPermissions, async (c) => {
      const { resource, id } = c.req.valid('param')
      const [service, caller] = serviceFor(c, resource)
      return c.json(await service.permissions(caller, id), 200)
    })
    .openapi(list, async (c) => {
      const [service, caller] = serviceFor(c, c.req.valid('param').resource)
      return c.json(await service.list(caller, new URL(c.req.url).searchParams), 200)
    })
    .openapi(getOne, async (c) => {
      const { resource, id } = c.req.valid('param')
      const [service, caller] = serviceFor(c, resource)
      return c.json(await service.get(caller, id), 200)
    })
    .openapi(create, async (c) => {
      const [service, caller] = serviceFor(c, c.req.valid('param').resource)
      return c.json(await service.create(caller, c.req.valid('json')), 201)
    })
    .openapi(update, async (c) => {
      const { resource, id } = c.req.valid('param')
      const [service, caller] = serviceFor(c, resource)
      return c.json(await service.update(caller, id, c.req.valid('json')), 200)
    })
    .openapi(remove, async (c) => {
      const { resource, id } = c.req.valid('param')
      const [service, caller] = serviceFor(c, resource)
      await service.delete(caller, id)
      return c.body(null, 204)
    })
}
