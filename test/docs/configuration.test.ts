import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONFIGURATION_DOC, renderConfigurationDocs } from '../../scripts/configuration-docs'

describe('docs/configuration.md', () => {
  it('says exactly what the environment schemas say (run `npm run docs:config` after changing one)', () => {
    expect(readFileSync(CONFIGURATION_DOC, 'utf8')).toBe(renderConfigurationDocs())
  })

  it('describes every variable', () => {
    const undocumented = renderConfigurationDocs()
      .split('\n')
      .filter((line) => line.startsWith('| `') && line.trimEnd().endsWith('|  |'))
    expect(undocumented).toEqual([])
  })
})
