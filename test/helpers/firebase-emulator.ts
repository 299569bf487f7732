import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { freePort, stopChild } from './child-process'
import { join } from 'node:path'

/**
 * The real Firebase Auth emulator (firebase-tools, offline, UI disabled) on a free port.
 * It checks custom tokens like production does, except the signature.
 */
export async function startAuthEmulator(projectId: string) {
  const port = await freePort()
  const dir = await mkdtemp(join(tmpdir(), 'bk-firebase-'))
  const config = join(dir, 'firebase.json')
  await writeFile(
    config,
    JSON.stringify({
      emulators: {
        auth: { host: '127.0.0.1', port },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  )
  const child: ChildProcess = spawn(
    process.execPath,
    [
      'node_modules/firebase-tools/lib/bin/firebase.js',
      'emulators:start',
      '--only',
      'auth',
      '--project',
      projectId,
      '--config',
      config,
    ],
    {
      env: {
        ...process.env,
        FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true',
        FIREBASE_CLI_EXPERIMENTS: '',
        CI: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: process.cwd(),
    },
  )
  let output = ''
  child.stdout?.on('data', (c) => (output += String(c)))
  child.stderr?.on('data', (c) => (output += String(c)))
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`)
      if (response.status < 500) break
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the Auth emulator did not start:\n${output.slice(-2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  }
}
