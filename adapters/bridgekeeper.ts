/**
 * The public entry for a deployment's own code (`adapters/app/`): what a resource, a template
 * and the deployment are declared with, and the drivers' references. Deployment code imports
 * from here only, never from `src/` or a driver's folder, so the engine and the drivers can
 * change inside without breaking it.
 */
export { defineApp } from '../src/assembly/adapter'
export { defineResource, type TypedResourceDefinition } from '../src/data/resource'
export type { Condition, FieldSpec, Scalar } from '../src/data/types'
export type { Principal } from '../src/identity/principal'
export { defineJwtTemplate } from '../src/tokens/bridge-jwt'
export { airtable } from './airtable/reference'
export { mongodb } from './mongodb/reference'
export { prisma } from './prisma/reference'
