import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/**
 * The e2e tier's global set-up: one `npm run build` (what `npm start` runs first) before any e2e
 * file, so files running in parallel never rebuild dist/ under each other's processes.
 */
export function setup(): void {
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: 'ignore',
  })
}
