import { assembleBridge, type Bridge } from '../../../assembly/assemble'
import { ConfigError } from '../../../config/config'
import { nodeRuntime } from '../node-runtime'
import type { CliIo } from './io'
import { scrub } from './scrub'

/**
 * The bridge `npm start` would build from this environment, without serving it: what
 * `policy` and `doctor` inspect. Configuration problems come back as a list, as start-up
 * would print them.
 */
export async function assembleFromEnv(
  io: CliIo,
): Promise<{ ok: true; bridge: Bridge } | { ok: false; problems: string[] }> {
  try {
    const bridge = await assembleBridge({
      ...(await nodeRuntime(io.env)),
      // An inspection writes nothing to the shared store (no rotation, no re-wrap).
      readOnlyKeys: true,
      // The CLI's own log lines would drown its output: only errors, to stderr.
      logSink: (line) => {
        if (line.includes('"level":"error"')) io.err(line)
      },
    })
    return { ok: true, bridge }
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problems: error.problems }
    // An adapter that couldn't start (a database that refuses connections): a failed check,
    // in one line, never a stack or a secret.
    const message = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      problems: [`start-up: ${scrub(message.split('\n')[0] ?? 'failed', io.env)}`],
    }
  }
}
