import { KeyObject, sign } from 'node:crypto'
import type { SignatureFunction } from '../../keys/jws'

const keyObjects = new WeakMap<object, KeyObject>()

/**
 * Signatures with node:crypto: each CryptoKey becomes a KeyObject once, and the signature is
 * computed on libuv's thread pool (the callback form), so the event loop keeps serving while
 * RSA works. ES256 signatures in the JOSE form (r || s), not DER.
 */
export const nodeSignature: SignatureFunction = (alg, key, data) => {
  let keyObject = keyObjects.get(key)
  if (!keyObject) {
    keyObject = KeyObject.from(key)
    keyObjects.set(key, keyObject)
  }
  const algorithm = alg === 'EdDSA' ? null : 'sha256'
  const options =
    alg === 'ES256' ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const } : keyObject
  return new Promise((resolve, reject) =>
    sign(algorithm, data, options, (error, signature) =>
      error ? reject(error) : resolve(new Uint8Array(signature)),
    ),
  )
}
