import { execFile } from 'node:child_process'
import { mkdtemp, stat, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const EDITED = join(ROOT, 'adapters', 'app', 'resources.ts')

describe('npx bridgekeeper policy check after an edit', () => {
  it('checks the source, not the last build, once a source file is newer than the build', async () => {
    // dist/ was built by the e2e tier's set-up (test/helpers/e2e-build.ts), after the checkout.
    const env = { ...process.env, BRIDGE_DATA_DIR: await mkdtemp(join(tmpdir(), 'bk-cli-src-')) }
    const cli = () =>
      run(process.execPath, ['dist/server/cli.js', 'policy', 'check'], { cwd: ROOT, env })
    const fresh = await cli()
    expect(fresh.stderr).not.toContain('checking the source')

    const before = await stat(EDITED)
    await utimes(EDITED, new Date(), new Date(Date.now() + 60_000)) // an edit after the build
    try {
      const edited = await cli()
      expect(edited.stderr).toContain('the source is newer than the build; checking the source')
      expect(edited.stdout).toEqual(fresh.stdout)
    } finally {
      await utimes(EDITED, before.atime, before.mtime)
    }
  }, 120_000)
})
