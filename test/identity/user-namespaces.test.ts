import { decodeJwt } from 'jose'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prismaAdapter } from '../../adapters/prisma'
import { issuerEnv, startOidcIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { testServiceAccount } from '../helpers/service-account'
import { makeTestApp, type TestApp, deploymentResources } from '../helpers/test-app'

const ADMIN = 'namespaces-admin-key-0123456789abcdefgh'
const HASURA = 'https://hasura.io/jwt/claims'
let idpA: OidcIssuer
let idpB: OidcIssuer
let t: TestApp

beforeAll(async () => {
  ;[idpA, idpB] = await Promise.all([startOidcIssuer(), startOidcIssuer()])
  await Promise.all([idpA.addKey('ES256'), idpB.addKey('ES256')])
  const dir = await mkdtemp(join(tmpdir(), 'bk-namespaces-'))
  t = await makeTestApp(
    {
      ADMIN_API_KEY: ADMIN,
      DATA_PER_USER: '100000',
      DATABASE_URL: `file:${join(dir, 'bridgekeeper.db')}`,
      FIREBASE_SERVICE_ACCOUNT: JSON.stringify(testServiceAccount().account),
      UPSTREAM_ISSUERS: JSON.stringify([
        ...JSON.parse(issuerEnv(idpA, { userIdPrefix: 'tenant-a:' })),
        ...JSON.parse(issuerEnv(idpB, { userIdPrefix: 'tenant-b:' })),
      ]),
    },
    { adapters: [prismaAdapter, deploymentResources] },
  )
})
afterAll(async () => {
  await t.close()
  await Promise.all([idpA.close(), idpB.close()])
})

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
async function devToken(sub: string, extra: Record<string, unknown> = {}) {
  const response = await t.app.request('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub, ...extra }),
  })
  return ((await response.json()) as { token: string }).token
}
async function adminSession(body: Record<string, unknown>) {
  return t.app.request('/v1/admin/sessions', {
    method: 'POST',
    headers: { ...bearer(ADMIN), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}
async function mint(credential: string, template: string) {
  const response = await t.app.request(`/v1/tokens/${template}`, {
    method: 'POST',
    headers: bearer(credential),
  })
  expect(response.status).toBe(200)
  return decodeJwt(((await response.json()) as { token: string }).token)
}
const hasuraUserId = async (credential: string) =>
  ((await mint(credential, 'hasura'))[HASURA] as Record<string, string>)['x-hasura-user-id']
const post = (credential: string, title: string) =>
  t.app.request('/v1/data/posts', {
    method: 'POST',
    headers: { ...bearer(credential), 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  })

describe('user ids are unique across issuers', () => {
  it("keeps an admin-created user_1 away from the development issuer's user_1", async () => {
    const dev = await devToken('user_1', { email: 'one@example.com' })
    const created = await post(dev, 'Mine')
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }

    const made = await adminSession({ userId: 'user_1' })
    expect(made.status).toBe(201)
    const { secret } = (await made.json()) as { secret: string }
    const patch = await t.app.request(`/v1/data/posts/${id}`, {
      method: 'PATCH',
      headers: { ...bearer(secret), 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Taken over' }),
    })
    expect(patch.status).toBe(404)
    const [devId, adminId] = [await hasuraUserId(dev), await hasuraUserId(secret)]
    expect(devId).not.toBe(adminId)
    expect(adminId).toBe('admin:user_1')
    expect((await mint(secret, 'firebase')).uid).toBe('admin:user_1')
  })

  it('refuses an admin-created session for an issuer the bridge does not know', async () => {
    const refused = await adminSession({ userId: 'user_1', issuer: 'https://tenant-b.example' })
    expect(refused.status).toBe(422)
    expect(await refused.json()).toMatchObject({ code: 'validation_failed' })
  })

  it('gives colliding subjects of two identity providers different ids, rows and provider ids', async () => {
    const [a, b] = [await idpA.sign({ sub: 'user_7' }), await idpB.sign({ sub: 'user_7' })]
    expect(await hasuraUserId(a)).toBe('tenant-a:user_7')
    expect(await hasuraUserId(b)).toBe('tenant-b:user_7')
    expect((await mint(a, 'firebase')).uid).not.toBe((await mint(b, 'firebase')).uid)
    const created = await post(a, 'From A')
    const { id, fields } = (await created.json()) as { id: string; fields: { authorId: string } }
    expect(fields.authorId).toBe('tenant-a:user_7')
    const del = await t.app.request(`/v1/data/posts/${id}`, {
      method: 'DELETE',
      headers: bearer(b),
    })
    expect(del.status).toBe(404)
  })

  it('refuses a subject that reaches into another namespace from the unprefixed issuer', async () => {
    for (const sub of ['admin:user_1', 'tenant-a:user_7']) {
      const me = await t.app.request('/v1/me', { headers: bearer(await devToken(sub)) })
      expect(me.status, sub).toBe(401)
    }
  })
})

describe('configurations where two issuers could produce the same id', () => {
  it('are refused at start-up', async () => {
    const idp = await startOidcIssuer()
    try {
      const two = JSON.stringify([
        ...JSON.parse(issuerEnv(idp)),
        { issuer: 'https://other.example', audience: 'bridge' },
      ])
      await expect(makeTestApp({ UPSTREAM_ISSUERS: two })).rejects.toThrow(
        /at most one issuer may go without a userIdPrefix/,
      )
      for (const prefix of ['admin:', 'dev:']) {
        const reserved = JSON.stringify([
          ...JSON.parse(issuerEnv(idp)),
          { issuer: 'https://other.example', audience: 'bridge', userIdPrefix: prefix },
        ])
        await expect(makeTestApp({ UPSTREAM_ISSUERS: reserved })).rejects.toThrow(/overlaps/)
      }
    } finally {
      await idp.close()
    }
  })
})

describe('an unverified email', () => {
  it('never reaches a minted token or a row as an identity, and cannot squat a title', async () => {
    const squatter = await devToken('squatter', {
      email: 'victim@example.com',
      emailVerified: false,
    })
    const hasura = (await mint(squatter, 'hasura'))[HASURA] as Record<string, string>
    expect(hasura['x-hasura-email']).toBeUndefined()
    expect((await mint(squatter, 'api')).email).toBeUndefined()
    const squatted = await post(squatter, 'Launch plan')
    expect(squatted.status).toBe(201)
    expect(
      ((await squatted.json()) as { fields: { authorEmail: string } }).fields.authorEmail,
    ).toBe('')

    const victim = await devToken('victim', { email: 'victim@example.com', emailVerified: true })
    expect(
      ((await mint(victim, 'hasura'))[HASURA] as Record<string, string>)['x-hasura-email'],
    ).toBe('victim@example.com')
    const own = await post(victim, 'Launch plan')
    expect(own.status).toBe(201)
    expect(((await own.json()) as { fields: { authorEmail: string } }).fields.authorEmail).toBe(
      'victim@example.com',
    )
  })
})

describe('organization ids are unique across issuers', () => {
  const asUser = (token: string, path: string, init: RequestInit = {}) =>
    t.app.request(path, {
      ...init,
      headers: { ...bearer(token), ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    })

  it("keeps issuer B's admin of org_acme away from issuer A's org_acme, in rows and in tokens", async () => {
    const aliceA = await idpA.sign({ sub: 'alice', org_id: 'org_acme', org_role: 'org:admin' })
    const malloryB = await idpB.sign({ sub: 'mallory', org_id: 'org_acme', org_role: 'org:admin' })
    const created = await asUser(aliceA, '/v1/data/team-notes', {
      method: 'POST',
      body: JSON.stringify({ title: 'Acme roadmap' }),
    })
    expect(created.status).toBe(201)
    const row = (await created.json()) as { id: string; fields: { ownerId: string } }
    expect(row.fields.ownerId).toBe('tenant-a:org_acme')

    const listed = await asUser(malloryB, '/v1/data/team-notes')
    expect(listed.status).toBe(200)
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([])
    expect((await asUser(malloryB, `/v1/data/team-notes/${row.id}`)).status).toBe(404)
    const edit = await asUser(malloryB, `/v1/data/team-notes/${row.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'Owned' }),
    })
    expect(edit.status).toBe(404)
    const removed = await asUser(malloryB, `/v1/data/team-notes/${row.id}`, { method: 'DELETE' })
    expect(removed.status).toBe(404)
    expect((await asUser(aliceA, `/v1/data/team-notes/${row.id}`)).status).toBe(200)

    const claims = (await mint(malloryB, 'hasura'))[HASURA] as Record<string, string>
    expect(claims['x-hasura-org-id']).toBe('tenant-b:org_acme')
    const me = (await (await asUser(malloryB, '/v1/me')).json()) as { orgId: string }
    expect(me.orgId).toBe('tenant-b:org_acme')
    // Asking for a token for the other issuer's organization by its bare id is refused.
    const foreign = await asUser(malloryB, '/v1/tokens/hasura', {
      method: 'POST',
      body: JSON.stringify({ orgId: 'org_acme' }),
    })
    expect(foreign.status).toBe(403)
  })

  it("refuses an org id that reaches into another issuer's namespace, as for user ids", async () => {
    // The development issuer goes without a prefix here, so the upstream prefixes are reserved.
    const response = await t.app.request('/v1/me', {
      headers: bearer(await devToken('eve', { orgId: 'tenant-a:org_acme', orgRole: 'admin' })),
    })
    expect(response.status).toBe(401)
    const made = await adminSession({ userId: 'eve', orgId: 'org_acme' })
    expect(made.status).toBe(201)
    const { secret } = (await made.json()) as { secret: string }
    const me = (await (await asUser(secret, '/v1/me')).json()) as { orgId: string }
    expect(me.orgId).toBe('admin:org_acme')
  })
})
