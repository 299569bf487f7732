import { describe, expect, it } from 'vitest'
import { SESSION_ENV } from '../helpers/sign-in'
import { makeTestApp } from '../helpers/test-app'

const ADMIN = 'refusals-admin-key-0123456789abcdefghijkl'

const adminCall = (
  t: Awaited<ReturnType<typeof makeTestApp>>,
  ip: string,
  key: string | undefined,
) =>
  t.app.request('/v1/admin/keys', {
    headers: {
      'X-Forwarded-For': ip,
      ...(key === undefined ? {} : { Authorization: `Bearer ${key}` }),
    },
  })

const auditedCalls = (logs: string[]) =>
  logs.map((line) => JSON.parse(line)).filter((line) => line.event === 'admin.call')

describe('refused admin calls', () => {
  it('leave at most ten audit events per address a minute, each with the address', async () => {
    const t = await makeTestApp({ ...SESSION_ENV, ADMIN_API_KEY: ADMIN })
    for (let i = 0; i < 40; i++) await adminCall(t, '203.0.113.66', i % 2 ? 'wrong' : undefined)
    const refused = auditedCalls(t.logs)
    expect(refused).toHaveLength(10)
    for (const event of refused) expect(event).toMatchObject({ ip: '203.0.113.66' })
    expect(
      t.logs.filter((line) => line.includes('audit.refused_admin_call_not_recorded')),
    ).toHaveLength(30)
    // The admin's own calls are always recorded.
    expect((await adminCall(t, '198.51.100.7', ADMIN)).status).toBe(200)
    expect(auditedCalls(t.logs).at(-1)).toMatchObject({ status: 200, ip: '198.51.100.7' })
  })

  it("can't lock the admin out by failing from the admin's address", async () => {
    const t = await makeTestApp({ ...SESSION_ENV, ADMIN_API_KEY: ADMIN, AUTH_FAILURE_LIMIT: '5' })
    const shared = '192.0.2.10'
    let status = 401
    for (let i = 0; i < 50 && status !== 429; i++)
      status = (await adminCall(t, shared, `wrong-${i}`)).status
    expect(status).toBe(429)
    // Wrong keys from the locked-out address stay refused; the right key still works.
    expect((await adminCall(t, shared, 'still-wrong')).status).toBe(429)
    expect((await adminCall(t, shared, ADMIN)).status).toBe(200)
  })
})
