import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { apartments } from '../../adapters/app/resources'
import { onAirtable } from '../helpers/drivers'
import { compileFormula, fieldRef, quoteString } from '../../adapters/airtable/formula'
import type { App } from '../../src/assembly/create-app'
import { startLocalAirtable, type LocalAirtable } from '../fakes/airtable/server'
import { issuerEnv, startOidcIssuer, type OidcIssuer } from '../fakes/oidc-issuer'
import { makeTestApp, testAdapter } from '../helpers/test-app'

const BASE = 'appApartments00001'
const TOKEN = 'patLocalApartment.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
let server: LocalAirtable
let app: App
let idp: OidcIssuer

beforeAll(async () => {
  server = await startLocalAirtable({
    token: TOKEN,
    bases: { [BASE]: ['Apartments'] },
    ratePerSecond: 10_000,
  })
  // An identity provider that will put any string in the email claim, as a hostile tenant could.
  idp = await startOidcIssuer()
  await idp.addKey('ES256')
  const t = await makeTestApp(
    { AUTH_FAILURE_LIMIT: '100000', UPSTREAM_ISSUERS: issuerEnv(idp) },
    {
      adapters: [
        testAdapter({
          resources: [
            onAirtable(apartments, {
              baseId: BASE,
              connection: () => ({
                token: TOKEN,
                endpointUrl: server.url,
                requestsPerSecond: 10_000,
              }),
            }),
          ],
        }),
      ],
    },
  )
  app = t.app
})
afterAll(async () => {
  await server.close()
  await idp.close()
})
beforeEach(() => server.clear(BASE, 'Apartments'))

async function as(email: string, verified = true) {
  const token = await idp.sign({ sub: `user-${email}`, email, email_verified: verified })
  return (method: string, path: string, body?: unknown) =>
    app.request(`/v1/data/apartments${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
}

const seed = (email: string, name: string, extra: Record<string, string | number | boolean> = {}) =>
  server.seed(BASE, 'Apartments', {
    Name: name,
    Address: `${name} street`,
    Price: 1000,
    Email: email,
    ...extra,
  })

describe('apartments on Airtable', () => {
  it("lists and opens only the apartments whose Email is the caller's", async () => {
    const mine = seed('ada@example.com', 'Loft')
    seed('bob@example.com', 'Villa')
    const ada = await as('ada@example.com')
    const list = (await (await ada('GET', '')).json()) as {
      data: { id: string; fields: Record<string, unknown> }[]
    }
    expect(list.data.map((r) => r.fields.Name)).toEqual(['Loft'])
    expect((await ada('GET', `/${mine.id}`)).status).toBe(200)
  })

  it.each([
    "x' , TRUE(), '",
    "eve@example.com') , TRUE()",
    'eve\\',
    "eve\\' , TRUE(), \\'",
    'eve}@example.com',
    '") , TRUE()',
    "'",
  ])('an email like %s cannot widen the list', async (email) => {
    seed('bob@example.com', 'Villa')
    seed('carol@example.com', 'Cabin')
    const own = seed(email, 'Own place')
    const eve = await as(email)
    const response = await eve('GET', '')
    expect(response.status).toBe(200)
    const { data } = (await response.json()) as { data: { id: string }[] }
    expect(data.map((r) => r.id)).toEqual([own.id])
  })

  it("refuses to read, update or delete another user's apartment, leaving it unchanged", async () => {
    const bobs = seed('bob@example.com', 'Villa', { Visited: false })
    const ada = await as('ada@example.com')
    expect((await ada('GET', `/${bobs.id}`)).status).toBe(404)
    expect((await ada('PATCH', `/${bobs.id}`, { Visited: true })).status).toBe(404)
    // Delete isn't in the policy at all: refused before any lookup.
    expect((await ada('DELETE', `/${bobs.id}`)).status).toBe(403)
    expect(server.table(BASE, 'Apartments').get(bobs.id)?.fields).toEqual(bobs.fields)
  })

  it('lets the owner change Visited and nothing else', async () => {
    const mine = seed('ada@example.com', 'Loft')
    const ada = await as('ada@example.com')
    const visited = await ada('PATCH', `/${mine.id}`, { Visited: true })
    expect(visited.status).toBe(200)
    expect(server.table(BASE, 'Apartments').get(mine.id)?.fields.Visited).toBe(true)
    for (const [body, code] of [
      [{ Email: 'ada2@example.com' }, 'field_immutable'],
      [{ Price: 1 }, 'field_not_writable'],
      [{ Name: 'Palace' }, 'field_not_writable'],
    ] as const) {
      const response = await ada('PATCH', `/${mine.id}`, body)
      expect(response.status).toBe(422)
      expect(await response.json()).toMatchObject({ code, field: Object.keys(body)[0] })
    }
    expect(server.table(BASE, 'Apartments').get(mine.id)?.fields).toMatchObject({
      Email: 'ada@example.com',
      Price: 1000,
      Name: 'Loft',
    })
  })

  it('denies what the policy does not declare: create, delete, and unverified emails', async () => {
    const mine = seed('ada@example.com', 'Loft')
    const ada = await as('ada@example.com')
    const create = await ada('POST', '', { Visited: true })
    expect(create.status).toBe(403)
    expect(await create.json()).toMatchObject({ code: 'operation_not_allowed' })
    expect((await ada('DELETE', `/${mine.id}`)).status).toBe(403)
    const unverified = await as('ada@example.com', false)
    const refused = await unverified('GET', '')
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ code: 'email_not_verified' })
    expect((await (await as('nobody@example.com'))('GET', '/recAAAAAAAAAAAAAA')).status).toBe(404)
  })
})

describe('formula compiler', () => {
  it('quotes values and escapes field names', () => {
    expect(quoteString("it's \\ here")).toBe("'it\\'s \\\\ here'")
    expect(fieldRef('Weird}Name\\')).toBe('{Weird\\}Name\\\\}')
    expect(
      compileFormula([
        { field: 'Email', op: 'eq', value: "a'b" },
        { field: 'Visited', op: 'eq', value: false },
      ]),
    ).toBe("AND({Email} = 'a\\'b', NOT({Visited}))")
    expect(compileFormula([])).toBe('')
  })
})
