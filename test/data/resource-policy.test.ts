import { describe, expect, it } from 'vitest'
import { mongoCollection } from '../../adapters/mongodb/mongo-adapter'
import type { ResourceDefinition } from '../../src/data/resource'
import { notesResource } from '../conformance/notes-resource'
import { makeTestApp, testAdapter } from '../helpers/test-app'

/** A backend that is never reached: start-up refuses the policy before any query. */
const unused = mongoCollection({
  db: () => {
    throw new Error('not reached')
  },
  collection: 'notes',
})

describe('resource policies at start-up', () => {
  it('refuse filtering or sorting on a field that is not readable (it would leak its values)', async () => {
    for (const [overrides, message] of [
      [{ filterable: ['secret'] }, /filterable names "secret", which is not readable/],
      [{ sortable: ['secret'] }, /sortable names "secret", which is not readable/],
      [
        { defaultSort: [{ field: 'secret', direction: 'asc' as const }] },
        /defaultSort names "secret", which is not readable/,
      ],
    ] as [Partial<ResourceDefinition>, RegExp][]) {
      await expect(
        makeTestApp(
          {},
          { adapters: [testAdapter({ resources: [notesResource(unused, overrides)] })] },
        ),
      ).rejects.toThrow(message)
    }
  })
})
