import { env, exports } from 'cloudflare:workers'
import { listDurableObjectIds } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { storeObjectNames, type StoreNamespace } from '../../src/store/durable-object-store'

const BASE64URL = 'ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ_-'
const random = (alphabet: string, length: number) =>
  Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('')

describe('garbage session secrets on Workers', () => {
  it('are refused before the store is asked: a flood of them creates no Durable Object', async () => {
    const namespace = env.STORE as StoreNamespace & { idFromName(name: string): unknown }
    const before = new Set((await listDurableObjectIds(env.STORE)).map(String))
    // Session-shaped secrets whose shard is not 4 lowercase hex digits: each would otherwise
    // name (and create) its own object, up to 64^4 of them.
    const shards = Array.from({ length: 60 }, () => random(BASE64URL, 4))
    for (const shard of shards) {
      const secret = `bks_${shard}${random(BASE64URL, 39)}`
      const response = await exports.default.fetch(
        new Request('http://bridge.test/v1/me', {
          headers: { Authorization: `Bearer ${secret}`, 'CF-Connecting-IP': '203.0.113.200' },
        }),
      )
      expect([401, 429]).toContain(response.status)
    }
    const after = (await listDurableObjectIds(env.STORE))
      .map(String)
      .filter((id) => !before.has(id))
    const sessionObjects = new Set(
      shards.map((shard) =>
        String(namespace.idFromName(storeObjectNames('bridgekeeper').sessions(shard))),
      ),
    )
    expect(after.filter((id) => sessionObjects.has(id))).toEqual([])
    // At most the address's lockout counter was created (failures count), not one per secret.
    expect(after.length).toBeLessThanOrEqual(1)
  })
})
