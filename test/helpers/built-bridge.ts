import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The built server as `npm start` runs it (`node dist/server/main.js`: one process, no npm
 * wrapper, no run-time transpiler) with nothing configured but its port and data folder.
 * Standard output and error are gathered as they arrive (`output`), and error on its own.
 */
export async function spawnBuiltBridge(options: { port: number; dataDir?: string; cwd?: string }) {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(options.port),
      BRIDGE_DATA_DIR: options.dataDir ?? (await mkdtemp(join(tmpdir(), 'bk-data-'))),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (output += String(chunk)))
  child.stderr.on('data', (chunk) => {
    output += String(chunk)
    stderr += String(chunk)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return {
    child,
    exited,
    output: () => output,
    stderr: () => stderr,
    /** Waits (20 s at most) for the start-up banner. */
    async listening(): Promise<void> {
      const deadline = Date.now() + 20_000
      while (!output.includes('listening') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100))
    },
  }
}
