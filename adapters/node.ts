import type { AdapterModule } from '../src/assembly/adapter'
import { appAdapter } from './app'
import { airtableAdapter } from './airtable'
import { firebaseAdapter } from './firebase'
import { firebaseRevocationAdapter } from './firebase/revocation'
import { clerkAdapter } from './clerk'
import { convexAdapter } from './convex'
import { hasuraAdapter } from './hasura'
import { mongodbAdapter } from './mongodb'
import { prismaAdapter } from './prisma'
import { redisAdapter } from './redis'
import { standardWebhooksAdapter } from './standard-webhooks'
import { supabaseAdapter } from './supabase'

/**
 * The adapters of the Node runtime, in the order their contributions are listed. Add yours here;
 * each is set up only when its environment asks for it, and loads its SDK only then.
 */
export const nodeAdapters: readonly AdapterModule[] = [
  redisAdapter,
  hasuraAdapter,
  firebaseAdapter,
  firebaseRevocationAdapter,
  supabaseAdapter,
  convexAdapter,
  clerkAdapter,
  standardWebhooksAdapter,
  prismaAdapter,
  airtableAdapter,
  mongodbAdapter,
  appAdapter,
]
