import { decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { jwsSigner, webCryptoSignature } from '../../src/keys/jws'
import { nodeSignature } from '../../src/runtime/node/node-signature'
import type { SigningAlgorithm } from '../../src/keys/signing-key'

const signers = [
  ['WebCrypto', webCryptoSignature],
  ['node:crypto', nodeSignature],
] as const
const payload = {
  iss: 'https://bridge.example',
  sub: 'user_1',
  aud: 'hasura',
  iat: 1_800_000_000,
  exp: 1_800_000_060,
  claims: { nested: ['a', 'é'] },
}

describe('the JWS signer', () => {
  for (const [name, signature] of signers) {
    it.each(['RS256', 'ES256', 'EdDSA'] as SigningAlgorithm[])(
      `${name}: %s tokens verify with jose against the public key, header and claims as given`,
      async (alg) => {
        const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
        const token = await jwsSigner(signature)({ alg, kid: 'k1', typ: 'JWT' }, payload, {
          alg,
          privateKey,
        })
        const verified = await jwtVerify(token, publicKey, {
          currentDate: new Date(1_800_000_010_000),
          algorithms: [alg],
        })
        expect(verified.payload).toEqual(payload)
        expect(decodeProtectedHeader(token)).toEqual({ alg, kid: 'k1', typ: 'JWT' })
        // The same bytes jose would sign: member order kept.
        expect(token.split('.').slice(0, 2).join('.')).toBe(
          (
            await new SignJWT(payload)
              .setProtectedHeader({ alg, kid: 'k1', typ: 'JWT' })
              .sign(privateKey)
          )
            .split('.')
            .slice(0, 2)
            .join('.'),
        )
      },
    )
  }

  it('gives RS256 signatures byte-identical to jose on both signers (PKCS#1 v1.5 is deterministic)', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const jose = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)
    for (const [, signature] of signers) {
      const ours = await jwsSigner(signature)({ alg: 'RS256' }, payload, {
        alg: 'RS256',
        privateKey,
      })
      expect(ours).toBe(jose)
    }
  })

  it('refuses a header that names another algorithm than the key', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    await expect(
      jwsSigner(nodeSignature)({ alg: 'RS256' }, payload, { alg: 'ES256', privateKey }),
    ).rejects.toThrow(/must name ES256/)
    await expect(
      jwsSigner()({ alg: 'none' }, payload, { alg: 'ES256', privateKey }),
    ).rejects.toThrow(/must name ES256/)
  })
})
