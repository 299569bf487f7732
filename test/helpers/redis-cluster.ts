import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { freePort, stopChild } from './child-process'
import { waitUntil } from './redis'

const run = promisify(execFile)

export type TestCluster = Awaited<ReturnType<typeof startRedisCluster>>

/**
 * A real Redis Cluster of the installed redis-server: three masters and three replicas on
 * loopback ports, created with `redis-cli --cluster create`, nothing kept on disk but the
 * cluster config in a temporary folder, all of it removed by `stop()`.
 */
export async function startRedisCluster() {
  const dir = await mkdtemp(join(tmpdir(), 'bk-cluster-'))
  const ports: number[] = []
  for (let i = 0; i < 6; i++) ports.push(await freePort())
  const servers: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '2000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    ),
  )
  const stop = async () => {
    await Promise.all(servers.map((server) => stopChild(server)))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await Promise.all(ports.map((port) => waitUntil(() => ping(port))))
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ])
    await waitUntil(async () => {
      for (const port of ports) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info'])
        if (!stdout.includes('cluster_state:ok')) throw new Error(`node ${port} not ready`)
        const nodes = await run('redis-cli', ['-p', String(port), 'cluster', 'nodes'])
        const roles = parseRoles(nodes.stdout)
        if (roles.masters.length !== 3 || roles.replicas.length !== 3)
          throw new Error(`node ${port} doesn't see three masters and three replicas yet`)
      }
    }, 20_000)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    ports,
    /** REDIS_CLUSTER_NODES for a bridge: two of the nodes (it discovers the rest). */
    nodes: ports
      .slice(0, 2)
      .map((port) => `127.0.0.1:${port}`)
      .join(','),
    /** Ports of the current masters and of their replicas. */
    async roles() {
      const { stdout } = await run('redis-cli', ['-p', String(ports[0]), 'cluster', 'nodes'])
      return parseRoles(stdout)
    },
    /**
     * A coordinated manual failover (CLUSTER FAILOVER on the replica, as in an upgrade), resolved
     * once the replica says it is a master. A manual failover that can't finish in time (a busy
     * master) is abandoned by Redis without a word, so it is asked again every few seconds.
     */
    async promote(port: number, timeoutMs = 30_000): Promise<void> {
      const node = new Redis({ port, host: '127.0.0.1' })
      try {
        const deadline = Date.now() + timeoutMs
        let asked = 0
        for (;;) {
          const [role] = (await node.call('ROLE')) as [string]
          if (role === 'master') return
          if (Date.now() > deadline) throw new Error(`replica ${port} was not promoted`)
          if (Date.now() - asked > 3000) {
            asked = Date.now()
            await node.call('CLUSTER', 'FAILOVER')
          }
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      } finally {
        node.disconnect()
      }
    },
    /** A client that talks to one node directly (INFO, KEYS). */
    node: (port: number) => new Redis({ port, host: '127.0.0.1', lazyConnect: false }),
    stop,
  }
}

/** Masters and replicas by port, from CLUSTER NODES (flags are the third field). */
function parseRoles(text: string) {
  const nodes = text
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map((fields) => ({
      port: Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]),
      flags: (fields[2] ?? '').split(','),
    }))
  return {
    masters: nodes.filter((n) => n.flags.includes('master')).map((n) => n.port),
    replicas: nodes.filter((n) => n.flags.includes('slave')).map((n) => n.port),
  }
}

async function ping(port: number): Promise<void> {
  const { stdout } = await run('redis-cli', ['-p', String(port), 'ping'])
  if (!stdout.includes('PONG')) throw new Error('no PONG')
}
