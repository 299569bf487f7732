import { calculateJwkThumbprint, exportJWK, importPKCS8, type JWK } from 'jose'
import type { Clock } from '../clock'
import type { Config } from '../config/config'
import type { Logger } from '../observability/logger'
import type { Store } from '../store/types'
import { parseKeyEncryptionKey } from './key-encryption'
import { staticKeys, type KeyProvider } from './key-provider'
import { managedKeys } from './managed-keys'
import { importSigningKey } from './signing-key'

/**
 * Chooses where signing keys come from: SIGNING_KEYS (static), else KEY_ENCRYPTION_KEY (generated,
 * rotated and kept encrypted in the store), else the development keys the runtime provides.
 */
export async function createKeyProvider(deps: {
  config: Config
  store: Store
  clock: Clock
  logger: Logger
  developmentKeys?: () => Promise<{ keys: JWK[] }>
  /** Inspect only: managed keys are read, never rotated, re-wrapped or created in the store. */
  readOnly?: boolean
}): Promise<KeyProvider> {
  const { config } = deps
  if (config.signingKeys) {
    return staticKeys(
      await Promise.all(config.signingKeys.keys.map((jwk) => importSigningKey(jwk as JWK))),
    )
  }
  if (config.keys.pem) {
    const blocks =
      config.keys.pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g) ?? []
    const jwks = await Promise.all(blocks.map((pem) => pemToJwk(pem, config.keys.alg)))
    return staticKeys(await Promise.all(jwks.map((jwk) => importSigningKey(jwk))))
  }
  if (config.keys.encryptionKeys.length > 0) {
    return managedKeys({
      store: deps.store,
      clock: deps.clock,
      logger: deps.logger,
      keks: await Promise.all(config.keys.encryptionKeys.map(parseKeyEncryptionKey)),
      alg: config.keys.alg,
      rsaBits: config.keys.rsaBits,
      rotationIntervalMs: config.keys.rotationDays * 86_400_000,
      jwksMaxAgeMs: config.keys.jwksMaxAgeSeconds * 1000,
      maxTokenLifetimeMs: config.keys.maxTokenLifetimeSeconds * 1000,
      readOnly: deps.readOnly,
    })
  }
  if (config.mode === 'development' && deps.developmentKeys) {
    const set = await deps.developmentKeys()
    return staticKeys(await Promise.all(set.keys.map((jwk) => importSigningKey(jwk))))
  }
  throw new Error('no signing keys: set SIGNING_KEYS or KEY_ENCRYPTION_KEY')
}

/** A PEM key as a JWK whose kid is its RFC 7638 thumbprint, so every instance derives the same kid. */
async function pemToJwk(pem: string, alg: Config['keys']['alg']): Promise<JWK> {
  const key = await importPKCS8(pem, alg, { extractable: true })
  const jwk = await exportJWK(key)
  return { ...jwk, alg, kid: await calculateJwkThumbprint(jwk), use: 'sig' }
}
