import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisAdapter } from '../../adapters/redis'
import { connectRedisCluster } from '../../adapters/redis/client'
import { redisStore } from '../../adapters/redis/store'
import type { Store } from '../../src/store/types'
import { waitUntil } from '../helpers/redis'
import { startRedisCluster, type TestCluster } from '../helpers/redis-cluster'
import { asSession, bearerSession } from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'
import { defineMultiInstanceSuite } from './multi-instance-suite'
import { defineStoreConformance } from './store-conformance'

// A real Redis Cluster (3 masters, 3 replicas of the installed redis-server), started for this file.
let cluster: TestCluster
const opened: Store[] = []
beforeAll(async () => {
  cluster = await startRedisCluster()
}, 60_000)
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()))
  await cluster.stop()
})

/** A store on the cluster (its own connection, the file's key prefix) that already answers. */
async function clusterStore(): Promise<Store> {
  const client = connectRedisCluster({
    nodes: cluster.ports.slice(0, 2).map((port) => ({ host: '127.0.0.1', port })),
  })
  const store = redisStore(client, 'bkc:')
  opened.push(store)
  await waitUntil(() => store.ping(), 10_000)
  return store
}

defineStoreConformance('redis cluster', clusterStore)
defineMultiInstanceSuite('a Redis Cluster', clusterStore)

describe('the bridge on a Redis Cluster', () => {
  it('is configured by REDIS_CLUSTER_NODES, and spreads users over the masters', async () => {
    const t = await makeTestApp(
      { REDIS_CLUSTER_NODES: cluster.nodes, STORE_KEY_PREFIX: 'bkn:' },
      { adapters: [redisAdapter] },
    )
    try {
      expect(t.store.kind).toBe('redis')
      expect(t.summary.join('\n')).toContain('store on Redis Cluster via 127.0.0.1:')
      const sessions = await Promise.all(
        Array.from({ length: 12 }, (_, i) => bearerSession(t, `spread-${i}`)),
      )
      for (const { secret } of sessions) expect((await asSession(t, secret)).status).toBe(200)
      // Where the session keys went: more than one master holds some.
      const { masters } = await cluster.roles()
      const holders = await Promise.all(
        masters.map(async (port) => {
          const node = cluster.node(port)
          try {
            return (await node.keys('bkn:{*}s:*')).length
          } finally {
            node.disconnect()
          }
        }),
      )
      expect(holders.filter((count) => count > 0).length).toBeGreaterThan(1)
      expect(holders.reduce((a, b) => a + b, 0)).toBe(12)
    } finally {
      await t.close()
    }
  })

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together', async () => {
    await expect(
      makeTestApp(
        { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: 'redis://127.0.0.1:6379' },
        { adapters: [redisAdapter] },
      ),
    ).rejects.toThrow(/not both/)
  })

  it('keeps answering through a failover (503s at most, never a 500), and keeps the sessions made before it', async () => {
    const t = await makeTestApp(
      {
        REDIS_CLUSTER_NODES: cluster.nodes,
        STORE_KEY_PREFIX: 'bkf:',
        AUTH_FAILURE_LIMIT: '100000',
      },
      { adapters: [redisAdapter] },
    )
    try {
      const sessions = await Promise.all(
        Array.from({ length: 24 }, (_, i) => bearerSession(t, `failover-${i}`)),
      )
      const statuses: number[] = []
      let running = true
      const worker = async (w: number) => {
        for (let i = w; running; i += 8) {
          const session = sessions[i % sessions.length]
          if (session) statuses.push((await asSession(t, session.secret)).status)
        }
      }
      const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)))
      await new Promise((resolve) => setTimeout(resolve, 300))
      const before = await cluster.roles()
      // Every replica takes over from its master (a coordinated manual failover, as in an upgrade).
      await Promise.all(before.replicas.map((port) => cluster.promote(port)))
      const during = statuses.length
      await new Promise((resolve) => setTimeout(resolve, 1000))
      running = false
      await load
      expect(during).toBeGreaterThan(100)
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([])
      expect(statuses.slice(during).filter((s) => s === 200).length).toBeGreaterThan(0)
      // Every session made before the failover still authenticates on the new masters.
      for (const { secret } of sessions) expect((await asSession(t, secret)).status).toBe(200)
      await waitUntil(async () => {
        const { masters } = await cluster.roles()
        expect(masters.sort()).toEqual([...before.replicas].sort())
      }, 10_000)
    } finally {
      await t.close()
    }
  }, 60_000)
})
