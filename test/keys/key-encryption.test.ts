import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { parseKeyEncryptionKey } from '../../src/keys/key-encryption'
import { createMemoryStore } from '../../src/store/memory-store'
import type { Store } from '../../src/store/types'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const K1 = 'Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE'
const K2 = 'c2Vjb25kLWtleS1lbmNyeXB0aW9uLWtleS0zMi1ieXQ'
const K3 = 'dGhpcmQta2V5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU'

/** An instance over a store another instance shares, with its own key-encryption keys. */
const instance = (store: Store, keks: Record<string, string>) =>
  makeTestApp({ ...keks, MINT_PER_USER: '1000' }, { store })

async function mint(t: TestApp) {
  const login = (await (
    await t.app.request('/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"sub":"kek-user"}',
    })
  ).json()) as { token: string }
  return t.app.request('/v1/tokens/hasura', {
    method: 'POST',
    headers: { Authorization: `Bearer ${login.token}` },
  })
}

async function storedKeys(store: Store) {
  const doc = JSON.parse((await store.kv.get('signing-keys')) ?? '{}') as {
    keys: { kid: string; privateJwk: string; publicJwk?: { kid: string } }[]
  }
  return doc.keys
}

describe('key-encryption keys', () => {
  it('rotate without downtime: a list decrypts with any, re-wraps with the first', async () => {
    const store = createMemoryStore()
    const before = await instance(store, { KEY_ENCRYPTION_KEY: K1 })
    const first = await mint(before)
    expect(first.status).toBe(200)
    const kid = decodeProtectedHeader(((await first.json()) as { token: string }).token).kid

    const during = await instance(store, { KEY_ENCRYPTION_KEYS: `${K2},${K1}` })
    const minted = await mint(during)
    expect(minted.status).toBe(200)
    expect(decodeProtectedHeader(((await minted.json()) as { token: string }).token).kid).toBe(kid)
    const k2 = await parseKeyEncryptionKey(K2)
    for (const key of await storedKeys(store)) {
      expect(decodeProtectedHeader(key.privateJwk).kek).toBe(k2.id)
      expect(key.publicJwk?.kid).toBe(key.kid)
    }
    expect(during.logs.some((l) => l.includes('keys.rewrapped'))).toBe(true)

    // Once every instance has the new list, the old key can go.
    const after = await instance(store, { KEY_ENCRYPTION_KEY: K2 })
    expect((await mint(after)).status).toBe(200)
    expect((await after.app.request('/.well-known/jwks.json')).status).toBe(200)
  })

  it('never take the JWKS down, answer 503 (not 500) for minting, and retry instead of caching a failure', async () => {
    const store = createMemoryStore()
    const owner = await instance(store, { KEY_ENCRYPTION_KEY: K1 })
    expect((await mint(owner)).status).toBe(200)
    const published = await (await owner.app.request('/.well-known/jwks.json')).json()

    // An instance configured with the wrong key: it still publishes the keys (kept in clear)…
    const wrong = await instance(store, { KEY_ENCRYPTION_KEY: K3 })
    const jwks = await wrong.app.request('/.well-known/jwks.json')
    expect(jwks.status).toBe(200)
    expect(await jwks.json()).toEqual(published)
    // …and refuses to mint with a clear 503.
    const refused = await mint(wrong)
    expect(refused.status).toBe(503)
    expect(await refused.json()).toMatchObject({ code: 'keys_unavailable' })
    expect(wrong.logs.some((l) => l.includes('keys.undecryptable'))).toBe(true)

    // The operator re-wraps with K3 (an instance holding both); the wrong one recovers by itself.
    const fixer = await instance(store, { KEY_ENCRYPTION_KEYS: `${K3},${K1}` })
    expect((await mint(fixer)).status).toBe(200)
    wrong.clock.advance(6000) // past the key-set cache
    expect((await mint(wrong)).status).toBe(200)
  })
})
