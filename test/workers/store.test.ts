import { env } from 'cloudflare:workers'
import { durableObjectStore, type StoreNamespace } from '../../src/store/durable-object-store'
import { defineStoreConformance } from '../store/store-conformance'

// The same store conformance suite as memory and Redis, against the Durable Object inside workerd.
defineStoreConformance('durable object (workerd)', async () =>
  durableObjectStore(env.STORE as StoreNamespace, `conformance-${crypto.randomUUID()}`),
)
