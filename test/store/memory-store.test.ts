import { createMemoryStore } from '../../src/store/memory-store'
import { defineStoreConformance } from './store-conformance'

defineStoreConformance('memory', async () => createMemoryStore())
