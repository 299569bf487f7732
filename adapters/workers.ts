import type { AdapterModule } from '../src/assembly/adapter'
import { appAdapter } from './app'
import { airtableAdapter } from './airtable'
import { firebaseAdapter } from './firebase'
import { clerkAdapter } from './clerk'
import { convexAdapter } from './convex'
import { hasuraAdapter } from './hasura'
import { prismaD1Adapter } from './prisma/d1'
import { standardWebhooksAdapter } from './standard-webhooks'
import { supabaseAdapter } from './supabase'

/**
 * The adapters bundled into the Worker: those that run on Workers. Node-only adapters (Redis,
 * MongoDB, Firebase refresh-token revocation) are left out so the bundle doesn't carry their SDKs.
 */
export const workersAdapters: readonly AdapterModule[] = [
  hasuraAdapter,
  firebaseAdapter,
  supabaseAdapter,
  convexAdapter,
  clerkAdapter,
  standardWebhooksAdapter,
  prismaD1Adapter,
  airtableAdapter,
  appAdapter,
]
