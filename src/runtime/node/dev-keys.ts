import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { JWK } from 'jose'
import { generateSigningJwk } from '../../keys/signing-key'

/**
 * Development only: the private keys kept under `.data/` (git-ignored), generated on first start
 * so that tokens survive a restart. Production keys come from SIGNING_KEYS.
 */
export async function loadOrCreateDevKeys(dataDir: string): Promise<{ keys: JWK[] }> {
  const file = join(dataDir, 'signing-keys.json')
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { keys?: JWK[] }
    if (Array.isArray(parsed.keys) && parsed.keys.length > 0) return { keys: parsed.keys }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const set = { keys: [await generateSigningJwk('RS256')] }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  await writeFile(file, JSON.stringify(set, null, 2), { mode: 0o600 })
  await chmod(file, 0o600)
  return set
}
