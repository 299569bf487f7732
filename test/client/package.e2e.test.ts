import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prismaAdapter } from '../../adapters/prisma'
import { serveApp } from '../helpers/serve'
import { makeTestApp, type TestApp, deploymentResources } from '../helpers/test-app'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')

/** What a frontend developer writes against the installed package. */
const FRONTEND = `import { BridgeError, convexAuth, createBridgeClient, hasuraAuth, supabaseAccessToken, syncFirebase } from 'bridgekeeper/client'
import type { DataRow, Principal } from 'bridgekeeper/client'
import type { Bridge } from './bridge-types.js'

const url = process.env.BRIDGE_URL ?? 'http://localhost:8787'
const bridge = createBridgeClient<Bridge>({
  url,
  channel: null,
  getUpstreamToken: async () => {
    const response = await fetch(url + '/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sub: 'consumer', email: 'consumer@example.com' }),
    })
    return ((await response.json()) as { token: string }).token
  },
})
const hasura: { headers(): Promise<Record<string, string>> } = hasuraAuth(bridge)
void syncFirebase
const accessToken: () => Promise<string> = supabaseAccessToken(bridge)
const fetchToken: (args: { forceRefreshToken: boolean }) => Promise<string | null> = convexAuth(bridge)
void accessToken
void fetchToken
const me: Principal = await bridge.me()
const token: string = await bridge.getToken('hasura')
const page = await bridge.data('posts').list({ limit: 5, filter: { authorId: 'nobody' }, fields: ['title'] })
const rows: DataRow<Bridge['resources']['posts']['row']>[] = page.data
const title: string | undefined = rows[0]?.fields.title
void title
// The deployment's types refuse what the bridge would: a misspelt field, a read-only one, an
// unknown resource or template, a field of the wrong type.
async function mistakes() {
  // @ts-expect-error: no field 'titel'
  await bridge.data('posts').create({ titel: 'x' })
  // @ts-expect-error: authorId is set by the bridge, not writable
  await bridge.data('posts').update('id', { authorId: 'someone' })
  // @ts-expect-error: no resource 'post'
  bridge.data('post')
  // @ts-expect-error: no template 'hasuar'
  await bridge.getToken('hasuar')
  // @ts-expect-error: views is a number
  const views: string | undefined = rows[0]?.fields.views
  // @ts-expect-error: filters name fields of the row
  await bridge.data('posts').list({ filter: { author: 'x' } })
  void views
}
void mistakes
let refused = ''
try {
  await bridge.data('posts').get('missing')
} catch (error) {
  if (error instanceof BridgeError) refused = error.code
}
console.log(JSON.stringify({ user: me.userId, token: token.split('.').length, rows: rows.length, refused, headers: Object.keys(await hasura.headers()) }))
`

/** The consumer settings the client must compile under, each as a tsconfig's compilerOptions. */
const SETTINGS: Record<string, ts.CompilerOptions> = {
  NodeNext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  Bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
  'strict + exactOptionalPropertyTypes': {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
  },
}

let consumer: string
let t: TestApp
let server: Awaited<ReturnType<typeof serveApp>>

beforeAll(async () => {
  // What a user installs: the packed tarball of the build (test/helpers/e2e-build.ts).
  const packs = await mkdtemp(join(tmpdir(), 'bk-pack-'))
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', packs], { cwd: ROOT })
  const [tarball] = (await readdir(packs)).filter((name) => name.endsWith('.tgz'))
  consumer = await mkdtemp(join(tmpdir(), 'bk-consumer-'))
  // The client has no dependencies, so unpacking the tarball as npm does is the whole install
  // for a frontend that imports only bridgekeeper/client.
  const installed = join(consumer, 'node_modules', 'bridgekeeper')
  await mkdir(installed, { recursive: true })
  await run('tar', ['-xzf', join(packs, tarball ?? ''), '-C', installed, '--strip-components=1'])
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ type: 'module' }))
  await writeFile(join(consumer, 'app.ts'), FRONTEND)
  // The deployment's types, as its developer writes them: the built CLI, this environment.
  await run(
    process.execPath,
    ['dist/server/cli.js', 'client-types', '--out', join(consumer, 'bridge-types.ts')],
    { cwd: ROOT, env: { ...process.env, BRIDGE_DATA_DIR: join(consumer, '.data') } },
  )
  t = await makeTestApp(
    { DATABASE_URL: `file:${join(consumer, 'bridgekeeper.db')}` },
    { adapters: [prismaAdapter, deploymentResources] },
  )
  server = await serveApp(t.app)
}, 120_000)
afterAll(() => server?.close())

describe('bridgekeeper/client, installed from the packed tarball', () => {
  it.each(Object.keys(SETTINGS))('type-checks a frontend under %s with no error', (name) => {
    const program = ts.createProgram([join(consumer, 'app.ts')], {
      ...SETTINGS[name],
      strict: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      noEmit: true,
      skipLibCheck: false,
    })
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      // The app's own use of `process` (not the client's) needs Node's types, left out on purpose.
      .filter((message) => !message.includes("'process'"))
    expect(errors).toEqual([])
  })

  it('runs that frontend against a started bridge', async () => {
    // The types are imported as types only: the transpiled app needs no file for them.
    const { outputText } = ts.transpileModule(FRONTEND, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    })
    await writeFile(join(consumer, 'app.mjs'), outputText)
    const { stdout } = await run(process.execPath, [join(consumer, 'app.mjs')], {
      env: { ...process.env, BRIDGE_URL: server.url.replace(/\/$/, '') },
    })
    expect(JSON.parse(stdout)).toMatchObject({
      user: 'consumer',
      token: 3,
      rows: expect.any(Number),
      refused: 'not_found',
      headers: ['Authorization'],
    })
  })
})
