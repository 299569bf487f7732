import { defineApp } from '../bridgekeeper'
import * as resources from './resources'
import * as templates from './templates'

/**
 * The deployment: every resource exported by ./resources.ts and every template exported by
 * ./templates.ts. This folder is yours (with ./schema.prisma, ./migrations/ and ./seed.sql);
 * the drivers in the other adapters/ folders and the engine in src/ are the project's.
 */
export const appAdapter = defineApp({
  resources: Object.values(resources),
  templates: Object.values(templates),
})
