import { describe, expect, it } from 'vitest'
import { defineResource, resourceProblems, type ResourceDefinition } from '../../src/data/resource'
import type { BackendContext, DataAdapter } from '../../src/data/types'
import { makeTestApp, testAdapter } from '../helpers/test-app'

const backend = (_: BackendContext): DataAdapter => {
  throw new Error('not bound in these tests')
}
const fields = {
  title: { type: 'string' },
  ownerId: { type: 'string' },
} as const

describe('typed policies', () => {
  it('refuses a misspelt field in any field list at compile time', () => {
    // Each @ts-expect-error fails `npm run typecheck` if the compiler stops catching the typo.
    const base = { backend, fields, operations: { list: 'own' } } as const
    const owner = { field: 'ownerId', principal: 'userId' } as const
    const lists = { readable: ['title' as const], writable: ['title' as const] }
    const typos = [
      // @ts-expect-error: the owner field is spelt wrong
      defineResource({ ...base, ...lists, name: 'a', owner: { ...owner, field: 'ownerID' } }),
      // @ts-expect-error: not a field
      defineResource({ ...base, owner, name: 'b', readable: ['titel'], writable: ['title'] }),
      // @ts-expect-error: presets name fields too
      defineResource({ ...base, ...lists, owner, name: 'c', presets: { owner: () => 'x' } }),
    ]
    // The same definitions are refused at start-up, with the nearest name as a hint.
    expect(resourceProblems(typos[0] as ResourceDefinition)).toContain(
      'resource "a": owner field "ownerID" is not a field (did you mean "ownerId"?)',
    )
    expect(resourceProblems(typos[1] as ResourceDefinition)).toContain(
      'resource "b": readable names unknown field "titel" (did you mean "title"?)',
    )
  })

  it('refuses a scope that is neither own, all nor a function, at start-up', async () => {
    const mistyped = {
      name: 'notes',
      backend,
      fields,
      owner: { field: 'ownerId', principal: 'userId' },
      operations: { list: 'mine', create: 'own' },
      readable: ['title'],
      writable: ['title'],
    } as unknown as ResourceDefinition
    const refused = await makeTestApp({}, { adapters: [testAdapter({ resources: [mistyped] })] })
      .then(() => null)
      .catch((error: unknown) => String(error))
    expect(refused).toContain(`operations.list is "mine"; use 'own', 'all' or a function`)
    expect(refused).toContain(`operations.create is "own"; use true or a function`)
  })
})
