#!/usr/bin/env node
/** `npx bridgekeeper`: the admin CLI (src/runtime/node/cli/program.ts lists the commands). */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from './cli/program'

/** Commands that inspect the deployment's own resources and adapters, which the build bundles. */
const INSPECTIONS = new Set(['policy', 'doctor', 'client-types'])

/**
 * The source entry, when this is the build (`dist/server/cli.js`) and a source file of `src/` or
 * `adapters/` is newer than it: `policy check` after an edit must check the edit, not the last
 * build.
 */
function newerSource(): string | undefined {
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith(join('dist', 'server', 'cli.js'))) return undefined
  const root = join(dirname(here), '..', '..')
  const entry = join(root, 'src', 'runtime', 'node', 'cli.ts')
  if (!existsSync(entry)) return undefined
  const built = statSync(here).mtimeMs
  const newer = (folder: string) =>
    readdirSync(join(root, folder), { recursive: true, withFileTypes: true }).some(
      (file) =>
        file.isFile() &&
        file.name.endsWith('.ts') &&
        !file.parentPath.includes('generated') &&
        statSync(join(file.parentPath, file.name)).mtimeMs > built,
    )
  return newer('src') || newer('adapters') ? entry : undefined
}

const argv = process.argv.slice(2)
const source = INSPECTIONS.has(argv[0] ?? '') ? newerSource() : undefined
if (source) {
  process.stderr.write('bridgekeeper: the source is newer than the build; checking the source\n')
  const result = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), source, ...argv],
    { stdio: 'inherit', env: process.env },
  )
  process.exitCode = result.status ?? 1
} else {
  process.exitCode = await runCli(argv, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    stdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
  })
}
