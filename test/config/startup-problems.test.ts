import { describe, expect, it } from 'vitest'
import { hasuraAdapter } from '../../adapters/hasura'
import { nodeAdapters } from '../../adapters/node'
import { assembleBridge } from '../../src/assembly/assemble'
import { ConfigError } from '../../src/config/config'
import type { ResourceDefinition } from '../../src/data/resource'
import { generateSigningJwk } from '../../src/keys/signing-key'
import { createMemoryStore } from '../../src/store/memory-store'
import { testAdapter } from '../helpers/test-app'

/** A resource whose owner rule names a field it doesn't have. */
// Written as a plain definition: defineResource would refuse the typo at compile time.
const broken: ResourceDefinition = {
  name: 'broken',
  backend: () => {
    throw new Error('never bound: start-up refuses the definition first')
  },
  fields: { title: { type: 'string' } },
  owner: { field: 'ownerId', principal: 'userId' },
  operations: { list: 'own' },
  readable: ['title'],
  writable: ['title'],
}

describe('start-up problems', () => {
  it('lists a core problem, an adapter section problem and a resource problem in one ConfigError', async () => {
    const error = await assembleBridge({
      name: 'node',
      env: {
        BRIDGE_MODE: 'development',
        // Core: two issuers without a userIdPrefix can mint the same user id.
        UPSTREAM_ISSUERS: JSON.stringify([
          { issuer: 'https://a.example', audience: 'bridge' },
          { issuer: 'https://b.example', audience: 'bridge' },
        ]),
        // The Hasura adapter's section: out of range.
        HASURA_WEBHOOK_MAX_AGE: '99999',
      },
      adapters: [hasuraAdapter, testAdapter({ resources: [broken] })],
      defaultMode: 'development',
      socketAddress: () => undefined,
      store: createMemoryStore(),
      developmentKeys: async () => ({ keys: [await generateSigningJwk('ES256')] }),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^UPSTREAM_ISSUERS: at most one issuer/),
        expect.stringMatching(/^HASURA_WEBHOOK_MAX_AGE: /),
        expect.stringMatching(/^resource "broken": owner field "ownerId" is not a field/),
      ]),
    )
    // One message names all three, as the start-up log prints it.
    const message = (error as ConfigError).message
    for (const needle of ['UPSTREAM_ISSUERS', 'HASURA_WEBHOOK_MAX_AGE', 'resource "broken"'])
      expect(message).toContain(needle)
  })

  it('lists every setting production is missing in one round: keys, PUBLIC_URL and the store', async () => {
    const error = await assembleBridge({
      name: 'node',
      env: { NODE_ENV: 'production' },
      adapters: nodeAdapters,
      defaultMode: 'development',
      socketAddress: () => undefined,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SIGNING_KEYS: required in production/),
        expect.stringMatching(/^PUBLIC_URL: required in production/),
        expect.stringMatching(/^REDIS_URL: required in production/),
      ]),
    )
    // With REDIS_URL set, the store is no longer listed.
    const withRedis = await assembleBridge({
      name: 'node',
      env: { NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379' },
      adapters: nodeAdapters,
      defaultMode: 'development',
      socketAddress: () => undefined,
    }).catch((e: unknown) => e)
    expect((withRedis as ConfigError).problems.some((p) => p.startsWith('REDIS_URL'))).toBe(false)
  })
})
