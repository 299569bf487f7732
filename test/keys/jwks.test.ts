import { describe, expect, it } from 'vitest'
import { staticKeys } from '../../src/keys/key-provider'
import { generateSigningJwk, importSigningKey } from '../../src/keys/signing-key'
import { makeTestApp } from '../helpers/test-app'

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']

describe('JWKS', () => {
  it('publishes public keys only, each with a unique kid, alg and use "sig", cacheable with an ETag', async () => {
    const keys = await Promise.all(
      (['RS256', 'ES256', 'EdDSA'] as const).map(async (alg) =>
        importSigningKey(await generateSigningJwk(alg)),
      ),
    )
    const t = await makeTestApp({ JWKS_MAX_AGE: '120' }, { keys: staticKeys(keys) })
    const response = await t.app.request('/.well-known/jwks.json')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=120')
    const etag = response.headers.get('etag')
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    const body = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(body.keys.map((k) => k.alg)).toEqual(['RS256', 'ES256', 'EdDSA'])
    expect(new Set(body.keys.map((k) => k.kid)).size).toBe(3)
    for (const key of body.keys) {
      expect(key.use).toBe('sig')
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member)
    }
    const again = await t.app.request('/.well-known/jwks.json', {
      headers: { 'If-None-Match': etag ?? '' },
    })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    expect(again.headers.get('cache-control')).toBe('public, max-age=120')
    const changed = await t.app.request('/.well-known/jwks.json', {
      headers: { 'If-None-Match': '"other"' },
    })
    expect(changed.status).toBe(200)
  })

  it('describes the issuer in the discovery document', async () => {
    const t = await makeTestApp()
    const response = await t.app.request('/.well-known/openid-configuration')
    expect(await response.json()).toMatchObject({
      issuer: 'http://bridge.test',
      jwks_uri: 'http://bridge.test/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['RS256'],
    })
  })

  it('takes PEM keys from SIGNING_KEYS_PEM with a stable thumbprint kid', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const pem = (bits: number) =>
      generateKeyPairSync('rsa', { modulusLength: bits })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString()
    const both = `${pem(2048)}\n${pem(3072)}`
    const a = await makeTestApp({ SIGNING_KEYS_PEM: both })
    const b = await makeTestApp({ SIGNING_KEYS_PEM: both })
    const jwksA = (await (await a.app.request('/.well-known/jwks.json')).json()) as {
      keys: { kid: string; n: string }[]
    }
    const jwksB = (await (await b.app.request('/.well-known/jwks.json')).json()) as {
      keys: { kid: string }[]
    }
    expect(jwksA.keys).toHaveLength(2)
    expect(jwksA.keys.map((k) => k.kid)).toEqual(jwksB.keys.map((k) => k.kid))
    expect(jwksA.keys[0]?.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('refuses a weak RSA key or a key without kid', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'jwk',
    })
    await expect(importSigningKey({ ...weak, kid: 'weak', alg: 'RS256' })).rejects.toThrow(/2048/)
    const good = await generateSigningJwk('ES256')
    await expect(importSigningKey({ ...good, kid: undefined })).rejects.toThrow(/kid/)
    await expect(
      importSigningKey({ kty: 'oct', k: 'c2VjcmV0', kid: 'h', alg: 'HS256' }),
    ).rejects.toThrow(/alg/)
  })
})
