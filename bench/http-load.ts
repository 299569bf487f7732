import { request } from 'node:http'

/**
 * A small closed-loop load generator on loopback: `connections` workers each send requests
 * back-to-back for `durationMs`. Bounded in count and time; returns requests per second.
 */
export async function measureRps(options: {
  url: string
  headers?: Record<string, string>
  method?: string
  body?: string
  durationMs: number
  connections: number
}): Promise<{ rps: number; count: number; statuses: Record<number, number>; medianMs: number }> {
  const deadline = Date.now() + options.durationMs
  const statuses: Record<number, number> = {}
  const latencies: number[] = []
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now()
      const req = request(
        options.url,
        { method: options.method ?? 'GET', headers: options.headers, agent: agent },
        (res) => {
          res.resume()
          res.on('end', () => {
            latencies.push(performance.now() - started)
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1
            resolve()
          })
        },
      )
      req.on('error', reject)
      if (options.body) req.write(options.body)
      req.end()
    })
  const { Agent } = await import('node:http')
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const started = Date.now()
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (Date.now() < deadline) await once()
    }),
  )
  agent.destroy()
  const elapsed = (Date.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    rps: latencies.length / elapsed,
    count: latencies.length,
    statuses,
    medianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
  }
}
