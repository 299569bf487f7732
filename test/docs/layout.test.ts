import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
/** The code block under "## Layout". */
const layout = /## Layout\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''

const folders = (dir: string) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'generated')
    .map((entry) => entry.name)

/** The folder names the layout block mentions, as `name/` anywhere on a line's left column. */
const named = new Set([...layout.matchAll(/([a-z][a-z0-9-]*)\/(?=[\s,])/g)].map((m) => m[1] ?? ''))

describe("the README's layout block", () => {
  it('names every folder of src/', () => {
    expect(layout).not.toBe('')
    expect(folders('src').filter((name) => !named.has(name))).toEqual([])
  })

  it('names every folder of adapters/', () => {
    expect(folders('adapters').filter((name) => !named.has(name))).toEqual([])
  })

  it('names no folder that does not exist', () => {
    const real = new Set([
      ...folders('.'),
      ...folders('src'),
      ...folders('src/runtime'),
      ...folders('adapters'),
      ...folders('adapters/app'),
      ...folders('test'),
    ])
    expect([...named].filter((name) => !real.has(name))).toEqual([])
  })
})

describe('the documentation links', () => {
  const pages = [
    'README.md',
    'SECURITY.md',
    'CONTRIBUTING.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ]

  it.each(pages)('%s links only to files that exist', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8')
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] ?? '')
      .filter((target) => !/^(https?:|mailto:|#)/.test(target))
      .map((target) => target.replace(/#.*$/, ''))
    const missing = targets.filter((target) => !existsSync(join(ROOT, dirname(page), target)))
    expect(missing).toEqual([])
  })

  it('the README is a front page: a few hundred lines, with every guide linked', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(readme.split('\n').length).toBeLessThanOrEqual(400)
    for (const page of pages.filter((p) => p.startsWith('docs/')))
      expect(readme, page).toContain(`](${page})`)
  })
})
