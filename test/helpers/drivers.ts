import type { Db } from 'mongodb'
import { airtableDriver, type AirtableConnection } from '../../adapters/airtable/airtable-adapter'
import { mongoDriver } from '../../adapters/mongodb/mongo-adapter'
import { prismaDriver } from '../../adapters/prisma/prisma-adapter'
import {
  withDriver,
  type BoundResourceDefinition,
  type Driver,
  type ResourceDefinition,
} from '../../src/data/resource'

/** A deployment's resource bound by a driver over a test's own connection, as start-up binds it. */
function bound(definition: ResourceDefinition, drivers: Record<string, Driver>) {
  const resource = withDriver(definition, drivers)
  if (!resource) throw new Error(`${definition.name}: no driver for its backend`)
  return resource
}

export const onPrisma = (
  definition: ResourceDefinition,
  options: { client: () => object; provider: 'postgresql' | 'sqlite' },
): BoundResourceDefinition => bound(definition, { prisma: prismaDriver(options) })

export const onMongo = (
  definition: ResourceDefinition,
  options: { db: () => Db },
): BoundResourceDefinition => bound(definition, { mongodb: mongoDriver(options) })

export const onAirtable = (
  definition: ResourceDefinition,
  options: { baseId: string; connection: () => AirtableConnection },
): BoundResourceDefinition => bound(definition, { airtable: airtableDriver(options) })
