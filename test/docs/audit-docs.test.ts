import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUDIT_EVENTS } from '../../src/audit/audit-trail'

describe('docs/audit.md', () => {
  it('documents every audit event the bridge records', () => {
    const text = readFileSync(join(import.meta.dirname, '../../docs/audit.md'), 'utf8')
    for (const name of Object.keys(AUDIT_EVENTS))
      expect(text).toMatch(new RegExp(`\\| \`${name.replace('.', '\\.')}\` +\\|`))
  })
})
