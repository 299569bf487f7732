import { describe, expect, it } from 'vitest'
import { defineResource, mongodb, prisma } from '../../adapters/bridgekeeper'
import { prismaDriver } from '../../adapters/prisma/prisma-adapter'
import { ConfigError } from '../../src/config/config'
import { makeTestApp, testAdapter } from '../helpers/test-app'
import { devToken } from '../helpers/sign-in'

const notes = defineResource({
  name: 'mongo-notes',
  backend: mongodb.collection('notes'),
  fields: { title: { type: 'string' }, ownerId: { type: 'string' } },
  owner: { field: 'ownerId', principal: 'userId' },
  operations: { list: 'own' },
  readable: ['title'],
  writable: ['title'],
})

describe("the deployment's resources and their drivers", () => {
  it('a resource whose driver is not set up is listed as off and not served', async () => {
    const t = await makeTestApp({}, { adapters: [testAdapter({ resources: [notes] }, 'app')] })
    expect(t.summary).toContain('mongo-notes: off (its mongodb driver is not set up)')
    expect(t.resources.map((r) => r.name)).not.toContain('mongo-notes')
    const token = await devToken(t, 'someone')
    const listed = await t.app.request('/v1/data/mongo-notes', {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(listed.status).toBe(404)
  })

  it('two adapters connecting the same driver stop start-up, naming it', async () => {
    const driver = prismaDriver({ client: () => ({}), provider: 'sqlite' })
    const error = await makeTestApp(
      {},
      {
        adapters: [
          testAdapter({ drivers: { prisma: driver } }, 'one'),
          testAdapter({ drivers: { prisma: driver } }, 'two'),
          testAdapter({
            resources: [{ ...notes, name: 'notes', backend: prisma.model('Note') }],
          }),
        ],
      },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems).toContain(
      'driver "prisma": more than one adapter connects it; configure one',
    )
  })
})
