import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The engine's folders, lowest first. A folder may import only from folders of a lower rank (and
 * from itself), so dependencies point one way: routes → domain → storage → foundation.
 */
const RANKS: Record<string, number> = {
  clock: 0,
  crypto: 0,
  errors: 0,
  ids: 0,
  observability: 1,
  config: 1,
  audit: 1.5,
  http: 2,
  openapi: 3,
  store: 3,
  budgets: 4,
  identity: 5,
  sessions: 6,
  keys: 6,
  tokens: 7,
  data: 7,
  health: 7,
  demo: 7,
  admin: 8,
  webhooks: 8,
  assembly: 9,
  runtime: 10,
}

const ROOT = join(import.meta.dirname, '..', '..')
const SPECIFIER =
  /^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\('([^']+)'\)/gm

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes('/generated/'))
}

/** Every import of a file: the specifier as written and, for relative ones, the file it names. */
function importsOf(file: string): { specifier: string; target: string | undefined }[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(SPECIFIER)].map((match) => {
    const specifier = match[1] ?? match[2] ?? match[3] ?? ''
    return {
      specifier,
      target: specifier.startsWith('.') ? resolveModule(file, specifier) : undefined,
    }
  })
}

const allFiles = new Set([...sourceFiles('src'), ...sourceFiles('adapters')])
function resolveModule(from: string, specifier: string): string {
  const base = normalize(join(dirname(from), specifier))
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base])
    if (allFiles.has(candidate)) return candidate
  return base
}

const folderOf = (file: string) => file.split('/')[1] ?? ''
const srcFiles = sourceFiles('src')

describe('dependency direction', () => {
  it('knows every folder of src/', () => {
    expect(new Set(srcFiles.map(folderOf))).toEqual(new Set(Object.keys(RANKS)))
  })

  it('imports only downward between the folders of src/', () => {
    const upward: string[] = []
    for (const file of srcFiles) {
      for (const { target } of importsOf(file)) {
        if (!target?.startsWith('src/')) continue
        const [from, to] = [folderOf(file), folderOf(target)]
        if (from !== to && (RANKS[to] ?? Infinity) >= (RANKS[from] ?? -1))
          upward.push(`${file} → ${target}`)
      }
    }
    expect(upward).toEqual([])
  })

  it('keeps src/ Web-standard and SDK-free outside the runtime entries', () => {
    const sdk =
      /^(node:|airtable|mongodb|firebase|firebase-admin|@prisma\/|ioredis|pg|better-sqlite3|cloudflare:)/
    const offenders = srcFiles
      .filter((file) => folderOf(file) !== 'runtime')
      .flatMap((file) =>
        importsOf(file)
          .filter(({ specifier, target }) => sdk.test(specifier) || target?.startsWith('adapters/'))
          .map(({ specifier }) => `${file} imports ${specifier}`),
      )
    expect(offenders).toEqual([])
  })

  it('has no import cycle in src/ or adapters/, type imports included', () => {
    const graph = new Map(
      [...allFiles].map((file) => [
        file,
        importsOf(file).flatMap(({ target }) => (target && allFiles.has(target) ? [target] : [])),
      ]),
    )
    const state = new Map<string, 'open' | 'done'>()
    const cycles: string[] = []
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '))
        return
      }
      state.set(file, 'open')
      for (const next of graph.get(file) ?? []) visit(next, [...path, file])
      state.set(file, 'done')
    }
    for (const file of graph.keys()) visit(file, [])
    expect(cycles).toEqual([])
  })
})
