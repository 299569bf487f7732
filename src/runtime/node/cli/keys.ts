import { base64url } from 'jose'
import { generateSigningJwk, publicJwkOf, type SigningAlgorithm } from '../../../keys/signing-key'
import { print, table, type CliIo } from './io'
import { callBridge, type RemoteOptions } from './remote'

/** A new signing key as SIGNING_KEYS wants it: a JWK set with one private key (or PKCS#8 PEM). */
export async function generateKeys(io: CliIo, options: { alg: SigningAlgorithm; pem: boolean }) {
  const jwk = await generateSigningJwk(options.alg)
  if (!options.pem) {
    io.out(JSON.stringify({ keys: [jwk] }))
    return
  }
  const { importJWK, exportPKCS8 } = await import('jose')
  const key = await importJWK(jwk, options.alg, { extractable: true })
  if (!(key instanceof CryptoKey)) throw new Error('unexpected key type')
  io.out((await exportPKCS8(key)).trimEnd())
  io.err(
    `kid will be the key's RFC 7638 thumbprint; public key: ${JSON.stringify(publicJwkOf(jwk))}`,
  )
}

/** A new key-encryption key for KEY_ENCRYPTION_KEY: 32 random bytes, base64url. */
export function newKek(io: CliIo) {
  io.out(base64url.encode(crypto.getRandomValues(new Uint8Array(32))))
}

type KeyState = {
  kid: string
  alg: string
  state: string
  publishedAt?: string
  activatedAt?: string | null
}

function keyTable(keys: KeyState[]): string[] {
  return table([
    ['KID', 'ALG', 'STATE', 'PUBLISHED', 'ACTIVATED'],
    ...keys.map((k) => [k.kid, k.alg, k.state, k.publishedAt ?? '-', k.activatedAt ?? '-']),
  ])
}

export async function listKeys(io: CliIo, options: RemoteOptions & { json: boolean }) {
  const body = (await callBridge(io, options, '/v1/admin/keys', { admin: true })) as {
    keys: KeyState[]
  }
  print(io, options.json, body, (b) => keyTable(b.keys))
}

export async function rotateKeys(io: CliIo, options: RemoteOptions & { json: boolean }) {
  const body = (await callBridge(io, options, '/v1/admin/keys/rotate', {
    method: 'POST',
    admin: true,
  })) as { keys: KeyState[] }
  print(io, options.json, body, (b) => [
    'Rotation started: the next key is published now and signs after the JWKS cache lifetime.',
    ...keyTable(b.keys),
  ])
}
