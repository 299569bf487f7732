import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPrismaDatabase, type PrismaDatabase } from '../../adapters/prisma/node-database'
import { teamNotes } from '../../adapters/app/resources'
import { onPrisma } from '../helpers/drivers'
import { makeTestApp, testAdapter, type TestApp } from '../helpers/test-app'

let database: PrismaDatabase
let t: TestApp

beforeAll(async () => {
  database = await openPrismaDatabase({ dataDir: await mkdtemp(join(tmpdir(), 'bk-team-')) })
  t = await makeTestApp(
    { DATA_PER_USER: '100000', DATA_PER_IP: '100000' },
    {
      adapters: [
        testAdapter({
          resources: [onPrisma(teamNotes, { client: () => database.client, provider: 'sqlite' })],
        }),
      ],
    },
  )
})
afterAll(() => database.close())

/** A development token for a member of `orgId` with `orgRole`. */
async function member(sub: string, orgId?: string, orgRole?: string) {
  const response = await t.app.request('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub, orgId, orgRole }),
  })
  const { token } = (await response.json()) as { token: string }
  return (path: string, init: RequestInit = {}) =>
    t.app.request(path, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      },
    })
}

const titles = async (response: Response) =>
  ((await response.json()) as { data: { fields: { title: string } }[] }).data.map(
    (row) => row.fields.title,
  )

describe('organization-owned rows (team-notes)', () => {
  it('are created by an org admin for the org of the token, whatever the body says', async () => {
    const admin = await member('ada', 'org_acme', 'org:admin')
    const created = await admin('/v1/data/team-notes', {
      method: 'POST',
      body: JSON.stringify({ title: 'Roadmap' }),
    })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({ fields: { ownerId: 'org_acme' } })
    const forged = await admin('/v1/data/team-notes', {
      method: 'POST',
      body: JSON.stringify({ title: 'Planted', ownerId: 'org_rival' }),
    })
    expect(forged.status).toBe(422)
    expect(await forged.json()).toMatchObject({ code: 'field_not_writable' })
  })

  it('are read by every member of that org and by nobody else', async () => {
    const rival = await member('eve', 'org_rival', 'org:admin')
    expect(
      (await rival('/v1/data/team-notes', { method: 'POST', body: '{"title":"Rival plan"}' }))
        .status,
    ).toBe(201)
    const reader = await member('bob', 'org_acme', 'org:member')
    expect(await titles(await reader('/v1/data/team-notes'))).toEqual(['Roadmap'])
    expect(await titles(await rival('/v1/data/team-notes'))).toEqual(['Rival plan'])
    const loner = await member('solo')
    const refused = await loner('/v1/data/team-notes')
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ code: 'scope_denied' })
  })

  it('are changed or deleted by the org’s admins only', async () => {
    const admin = await member('ada', 'org_acme', 'org:admin')
    const reader = await member('bob', 'org_acme', 'org:member')
    const rivalAdmin = await member('eve', 'org_rival', 'admin')
    const list = (await (await admin('/v1/data/team-notes')).json()) as { data: { id: string }[] }
    const id = list.data[0]?.id ?? ''
    const patch = (who: typeof admin) =>
      who(`/v1/data/team-notes/${id}`, { method: 'PATCH', body: '{"done":true}' })
    expect((await patch(reader)).status).toBe(403)
    expect(
      (await reader('/v1/data/team-notes', { method: 'POST', body: '{"title":"x"}' })).status,
    ).toBe(403)
    // Another org's admin can't even see the row: 404, as if it didn't exist.
    expect((await patch(rivalAdmin)).status).toBe(404)
    expect((await rivalAdmin(`/v1/data/team-notes/${id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await patch(admin)).status).toBe(200)
    expect((await admin(`/v1/data/team-notes/${id}`, { method: 'DELETE' })).status).toBe(204)
  })

  it('answer "can I?" as the policy enforces it: members read, admins also write', async () => {
    const admin = await member('ada', 'org_acme', 'org:admin')
    const reader = await member('bob', 'org_acme', 'org:member')
    const ask = async (who: typeof admin, path: string) =>
      ((await (await who(path)).json()) as { operations: Record<string, boolean> }).operations
    expect(await ask(reader, '/v1/data/team-notes/permissions')).toEqual({
      list: true,
      get: true,
      create: false,
      update: false,
      delete: false,
    })
    expect(await ask(admin, '/v1/data/team-notes/permissions')).toMatchObject({ create: true })
    const created = (await (
      await admin('/v1/data/team-notes', { method: 'POST', body: '{"title":"Ask"}' })
    ).json()) as { id: string }
    expect(await ask(admin, `/v1/data/team-notes/${created.id}/permissions`)).toEqual({
      list: false,
      get: true,
      create: false,
      update: true,
      delete: true,
    })
    expect(await ask(reader, `/v1/data/team-notes/${created.id}/permissions`)).toMatchObject({
      get: true,
      update: false,
      delete: false,
    })
    const rival = await member('eve', 'org_rival', 'org:admin')
    expect((await rival(`/v1/data/team-notes/${created.id}/permissions`)).status).toBe(404)
  })

  it('give templates the org id and role', async () => {
    const admin = await member('ada', 'org_acme', 'org:admin')
    const me = (await (await admin('/v1/me')).json()) as { orgId: string; orgRole: string }
    expect(me).toMatchObject({ orgId: 'org_acme', orgRole: 'org:admin' })
  })
})
