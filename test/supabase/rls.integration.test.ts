import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_URL } from '../helpers/postgres'
import { bearerSession } from '../helpers/sign-in'
import { makeTestApp, type TestApp } from '../helpers/test-app'

const schema = `supabase_rls_${process.pid}`
let db: pg.Client
let t: TestApp

/**
 * Supabase's pieces on the local PostgreSQL: the `authenticated` role, `auth.jwt()` as Supabase
 * defines it (the claims PostgREST puts in `request.jwt.claims`), and a table whose policy lets a
 * user see their own rows only.
 */
beforeAll(async () => {
  db = new pg.Client({ connectionString: POSTGRES_URL })
  await db.connect()
  await db.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF;
  END $$`)
  await db.query(`CREATE SCHEMA "${schema}"`)
  await db.query(`CREATE FUNCTION "${schema}".jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb
  $$`)
  await db.query(
    `CREATE TABLE "${schema}".notes (id serial PRIMARY KEY, owner text NOT NULL, body text NOT NULL)`,
  )
  await db.query(`ALTER TABLE "${schema}".notes ENABLE ROW LEVEL SECURITY`)
  await db.query(
    `CREATE POLICY own_notes ON "${schema}".notes FOR SELECT TO authenticated USING (owner = "${schema}".jwt() ->> 'sub')`,
  )
  await db.query(`GRANT USAGE ON SCHEMA "${schema}" TO authenticated`)
  await db.query(`GRANT SELECT ON "${schema}".notes TO authenticated`)
  await db.query(`GRANT EXECUTE ON FUNCTION "${schema}".jwt() TO authenticated`)
  await db.query(
    `INSERT INTO "${schema}".notes (owner, body) VALUES ('ada', 'ada 1'), ('ada', 'ada 2'), ('grace', 'grace 1')`,
  )
  t = await makeTestApp()
})

afterAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await db.end()
})

/** What PostgREST does with a verified JWT: the role, then the claims, in one transaction. */
async function selectAs(claims: Record<string, unknown>): Promise<string[]> {
  await db.query('BEGIN')
  try {
    await db.query(`SET LOCAL ROLE ${String(claims.role)}`)
    await db.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)])
    const { rows } = await db.query<{ body: string }>(
      `SELECT body FROM "${schema}".notes ORDER BY id`,
    )
    return rows.map((row) => row.body)
  } finally {
    await db.query('ROLLBACK')
  }
}

describe('Supabase tokens', () => {
  it('carry what third-party auth needs, and drive a real RLS policy to the user’s own rows', async () => {
    const { secret } = await bearerSession(t, 'ada')
    const response = await t.app.request('/v1/tokens/supabase', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(response.status).toBe(200)
    const { token } = (await response.json()) as { token: string }
    const header = decodeProtectedHeader(token)
    expect(typeof header.kid).toBe('string')
    expect(['RS256', 'ES256']).toContain(header.alg)
    // Supabase verifies with the bridge's JWKS (found through the issuer's discovery document).
    const settings = (await (await t.app.request('/v1/integrations/supabase/config')).json()) as {
      issuer: string
      jwks_uri: string
      audience: string
    }
    const discovery = (await (await t.app.request('/.well-known/openid-configuration')).json()) as {
      issuer: string
      jwks_uri: string
    }
    expect(discovery).toMatchObject({ issuer: settings.issuer, jwks_uri: settings.jwks_uri })
    const jwks = (await (
      await t.app.request(new URL(settings.jwks_uri).pathname)
    ).json()) as JSONWebKeySet
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: settings.issuer,
      audience: settings.audience,
      currentDate: new Date(t.clock.now()),
    })
    expect(payload).toMatchObject({ role: 'authenticated', sub: 'ada', aud: 'authenticated' })
    for (const claim of ['iat', 'exp'] as const) expect(typeof payload[claim]).toBe('number')

    expect(await selectAs(payload)).toEqual(['ada 1', 'ada 2'])
    // The same policy with another user's token: theirs only; with no claims: nothing.
    const grace = await bearerSession(t, 'grace')
    const other = await t.app.request('/v1/tokens/supabase', {
      method: 'POST',
      headers: { Authorization: `Bearer ${grace.secret}` },
    })
    const graceToken = ((await other.json()) as { token: string }).token
    const graceClaims = (
      await jwtVerify(graceToken, createLocalJWKSet(jwks), {
        currentDate: new Date(t.clock.now()),
      })
    ).payload
    expect(await selectAs(graceClaims)).toEqual(['grace 1'])
    expect(await selectAs({ role: 'authenticated' })).toEqual([])
  })
})
