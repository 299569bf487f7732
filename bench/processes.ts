/** What the benchmarks share: child processes that die with the run, and autocannon runs in their own process. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { readFileSync } from 'node:fs'

export type Target = {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
  /** The server process: its CPU time per request is measured alongside. */
  pid?: number
}
export type Sample = {
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  /** Microseconds of the server's CPU time (user + system, all its threads) per request. */
  cpuUs?: number
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100

/** The CPU time a process has used, in clock ticks (utime + stime of /proc/<pid>/stat). */
function cpuTicks(pid: number): number {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return Number(fields[11]) + Number(fields[12])
}

const children: ChildProcess[] = []

/**
 * One core each: the server under test on core 0, the load generator on core 1, where the
 * machine has two cores or more and `taskset` exists (BENCH_PIN=0 turns it off). Otherwise the
 * processes share the cores as the OS schedules them.
 */
const PINNED =
  process.env.BENCH_PIN !== '0' &&
  availableParallelism() >= 2 &&
  spawnSync('taskset', ['-c', '0', 'true']).status === 0
export const layout = PINNED
  ? 'server on core 0, load generator on core 1 (taskset)'
  : 'unpinned (fewer than two cores, no taskset, or BENCH_PIN=0)'
const pinned = (core: number, args: string[]): [string, string[]] =>
  PINNED ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args]
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')))

export function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' })
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    )
  })
}

/** Spawns a server process and waits until `path` (or the port) answers. */
export async function startProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  path = '/',
  quietEnv = false,
): Promise<ChildProcess> {
  const [command, argv] = pinned(0, args)
  const child = spawn(command, argv, {
    env: quietEnv
      ? { PATH: process.env.PATH ?? '', ...env }
      : { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  for (let i = 0; i < 500; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`)
    try {
      await fetch(`http://127.0.0.1:${port}${path}`)
      return child
    } catch {
      await sleep(5)
    }
  }
  throw new Error(`${name} did not start: ${stderr}`)
}

/** One autocannon run in its own process; its JSON result. */
export function loadWith(
  target: Target,
  seconds: number,
  connections: number,
  allowNon2xx = false,
): Promise<Sample> {
  const args = [
    'node_modules/autocannon/autocannon.js',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '-j',
    '-m',
    target.method ?? 'GET',
  ]
  for (const [name, value] of Object.entries(target.headers ?? {}))
    args.push('-H', `${name}: ${value}`)
  if (target.body !== undefined) args.push('-b', target.body)
  args.push(target.url)
  const ticksBefore = target.pid === undefined ? 0 : cpuTicks(target.pid)
  return new Promise((resolve, reject) => {
    const [command, argv] = pinned(1, args)
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.once('exit', () => {
      try {
        const result = JSON.parse(out) as {
          requests: { average: number; total: number }
          latency: { p50: number; p99: number }
          non2xx: number
          errors: number
        }
        const sample = {
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          non2xx: allowNon2xx ? 0 : result.non2xx,
          errors: result.errors,
          ...(target.pid === undefined || result.requests.total === 0
            ? {}
            : {
                cpuUs: Math.round(
                  ((cpuTicks(target.pid) - ticksBefore) * 1e6) /
                    TICKS_PER_SECOND /
                    result.requests.total,
                ),
              }),
        }
        resolve(sample)
      } catch (error) {
        reject(new Error(`autocannon: ${String(error)}: ${out.slice(0, 200)}`))
      }
    })
  })
}

export function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
