import type { z } from '@hono/zod-openapi'
import { describe, expectTypeOf, it } from 'vitest'
import type { Permissions, Principal, Session } from '../../client'
import type { PermissionsSchema } from '../../src/data/routes'
import type { PrincipalSchema } from '../../src/identity/schemas'
import type { SessionSchema } from '../../src/sessions/schemas'

// The client's types are written out (it has no dependencies, so it can't import zod's), and are
// held equal here to the schemas the server answers with: `npm run typecheck` fails on a drift,
// a field added on one side only included.
describe("bridgekeeper/client's types", () => {
  it('are the server schemas of what /v1/me, /v1/sessions and the permissions routes answer', () => {
    expectTypeOf<Principal>().toEqualTypeOf<z.infer<typeof PrincipalSchema>>()
    expectTypeOf<Session>().toEqualTypeOf<z.infer<typeof SessionSchema>>()
    expectTypeOf<Permissions>().toEqualTypeOf<z.infer<typeof PermissionsSchema>>()
  })
})
