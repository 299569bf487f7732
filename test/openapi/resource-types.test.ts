import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prismaAdapter } from '../../adapters/prisma'
import { makeTestApp, type TestApp, deploymentResources } from '../helpers/test-app'

let t: TestApp
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bk-openapi-types-'))
  t = await makeTestApp(
    { DATABASE_URL: `file:${join(dir, 'bridgekeeper.db')}` },
    { adapters: [prismaAdapter, deploymentResources] },
  )
})
afterAll(() => t.close())

/** Type-checks `files` (name → source) under strict settings; returns the diagnostics as text. */
function typeErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
  }
  const program = ts.createProgram(Object.keys(files), options)
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

describe('the API description of a deployment', () => {
  it('types each resource: openapi-typescript output compiles a typed call to /v1/data/posts with a filter', async () => {
    const document = await (await t.app.request('/openapi.json')).json()
    const types = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]))
    await writeFile(join(dir, 'api.d.ts'), types)
    const good = join(dir, 'good.ts')
    await writeFile(
      good,
      `import type { paths } from './api.js'
type List = paths['/v1/data/posts']['get']
export const query: NonNullable<List['parameters']['query']> = { 'filter[authorId]': 'ada', sort: '-createdAt', limit: 10 }
type Row = List['responses'][200]['content']['application/json']['data'][number]
export const title = (row: Row): string | undefined => row.fields.title
type Create = NonNullable<paths['/v1/data/posts']['post']['requestBody']>['content']['application/json']
export const draft: Create = { title: 'Hello', body: null }
`,
    )
    await writeFile(join(dir, 'package.json'), '{"type":"module"}')
    expect(typeErrors({ [good]: '' })).toEqual([])
    // A field the policy doesn't let a client write is not in the create body: a type error.
    const bad = join(dir, 'bad.ts')
    await writeFile(
      bad,
      `import type { paths } from './api.js'
type Create = NonNullable<paths['/v1/data/posts']['post']['requestBody']>['content']['application/json']
export const forged: Create = { title: 'x', authorId: 'someone-else' }
`,
    )
    expect(typeErrors({ [bad]: '' }).join('\n')).toContain('authorId')
  }, 60_000)
})
