import type { Clock } from '../clock'
import type { KeyProvider } from './key-provider'

/**
 * The active signing key's age in seconds, for the metrics gauge: since it became active
 * (managed keys), null where the bridge doesn't know (keys from SIGNING_KEYS carry no date).
 */
export function activeKeyAge(keys: KeyProvider, clock: Clock): () => Promise<number | null> {
  return async () => {
    if (!keys.status) return null
    const active = (await keys.status()).find((key) => key.state === 'active')
    const since = active?.activatedAt ?? active?.publishedAt
    return since ? Math.max(0, (clock.now() - Date.parse(since)) / 1000) : null
  }
}
