import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, stopChild } from '../helpers/child-process'

// The README's "Add your own table", followed as a deployer would, in a copy of the project: its
// code blocks go into the files it names, its command writes the migration, and the new table is
// served on SQLite and PostgreSQL. The README can't drift from what works.

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const PG = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const tsx = join(ROOT, 'node_modules/.bin/tsx')

let copy: string
const children: ChildProcess[] = []
afterAll(async () => {
  for (const child of children) await stopChild(child)
  if (copy) await rm(copy, { recursive: true, force: true })
})

/** The README's section, and its code block of `language`. */
async function readmeBlock(language: string): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('### Add your own table'))
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(
    section.slice(0, section.indexOf('\n## ')),
  )?.[1]
  if (!block) throw new Error(`no ${language} block in "Add your own table"`)
  // Indented under a list item in the README.
  return block.replace(/^ {3}/gm, '')
}

/** The project's files as a deployer's checkout has them (tracked and new, not ignored). */
async function copyProject(): Promise<string> {
  const target = await mkdtemp(join(tmpdir(), 'bk-own-table-'))
  const { stdout } = await run('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  })
  for (const file of stdout.split('\n').filter(Boolean)) {
    await mkdir(dirname(join(target, file)), { recursive: true })
    await cp(join(ROOT, file), join(target, file)).catch(() => undefined) // deleted, not staged
  }
  await symlink(join(ROOT, 'node_modules'), join(target, 'node_modules'))
  return target
}

async function changedFiles(): Promise<string[]> {
  const changed: string[] = []
  for (const file of ['adapters/app/resources.ts', 'adapters/app/schema.prisma'])
    if ((await readFile(join(copy, file), 'utf8')) !== (await readFile(join(ROOT, file), 'utf8')))
      changed.push(file)
  const before = new Set(await readdir(join(ROOT, 'adapters/app/migrations')))
  for (const name of await readdir(join(copy, 'adapters/app/migrations')))
    if (!before.has(name)) changed.push(`adapters/app/migrations/${name}`)
  return changed
}

/** Starts the bridge from the copy's source, as `npm start` would serve it. */
async function startBridge(env: Record<string, string>) {
  const port = await freePort()
  const child = spawn(tsx, ['src/runtime/node/main.ts'], {
    cwd: copy,
    env: { ...process.env, PORT: String(port), BRIDGE_DATA_DIR: join(copy, '.data'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the bridge exited: ${stderr}`)
    const up = await fetch(`${url}/healthz`).catch(() => undefined)
    if (up?.ok) return { url, child }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the bridge did not start: ${stderr}`)
}

async function tokenFor(url: string, sub: string): Promise<string> {
  const response = await fetch(`${url}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub }),
  })
  return ((await response.json()) as { token: string }).token
}

async function tasksWork(url: string) {
  const alice = { authorization: `Bearer ${await tokenFor(url, 'alice')}` }
  const bob = { authorization: `Bearer ${await tokenFor(url, 'bob')}` }
  const created = await fetch(`${url}/v1/data/tasks`, {
    method: 'POST',
    headers: { ...alice, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Water the plants' }),
  })
  expect(created.status).toBe(201)
  expect(await created.json()).toMatchObject({ fields: { title: 'Water the plants', done: false } })
  // The owner is the bridge's to set: a client naming one is refused.
  const forged = await fetch(`${url}/v1/data/tasks`, {
    method: 'POST',
    headers: { ...alice, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'x', ownerId: 'bob' }),
  })
  expect(forged.status).toBe(422)
  const mine = (await (await fetch(`${url}/v1/data/tasks`, { headers: alice })).json()) as {
    data: unknown[]
  }
  expect(mine.data).toHaveLength(1)
  const theirs = (await (await fetch(`${url}/v1/data/tasks`, { headers: bob })).json()) as {
    data: unknown[]
  }
  expect(theirs.data).toEqual([])
}

beforeAll(async () => {
  copy = await copyProject()
  const schema = join(copy, 'adapters/app/schema.prisma')
  await writeFile(schema, `${await readFile(schema, 'utf8')}\n${await readmeBlock('prisma')}`)
  const resources = join(copy, 'adapters/app/resources.ts')
  await writeFile(resources, `${await readFile(resources, 'utf8')}\n${await readmeBlock('ts')}`)
  await run('npm', ['run', 'db:migration', '--', 'tasks'], { cwd: copy })
  await run('npm', ['run', 'prisma:generate'], { cwd: copy })
}, 180_000)

describe("the README's Add your own table", () => {
  it('touches three files: the schema, the resource file and the generated migration', async () => {
    expect((await changedFiles()).sort()).toEqual([
      'adapters/app/migrations/0003_tasks.sql',
      'adapters/app/resources.ts',
      'adapters/app/schema.prisma',
    ])
  })

  it('serves the new owned table on SQLite, the development default', async () => {
    const { url, child } = await startBridge({})
    await tasksWork(url)
    await stopChild(child)
  }, 120_000)

  it('serves it on PostgreSQL, migrated on start', async () => {
    const schema = `own_table_${Math.random().toString(36).slice(2, 8)}`
    const { url, child } = await startBridge({ DATABASE_URL: `${PG}?schema=${schema}` })
    await tasksWork(url)
    await stopChild(child)
  }, 120_000)

  it('a misspelt field in any list fails tsc', async () => {
    const file = join(copy, 'adapters/app/resources.ts')
    const source = await readFile(file, 'utf8')
    const typo = source.replace(
      /readable: \['title', 'done'\],\n {2}writable/,
      "readable: ['title', 'dnoe'],\n  writable",
    )
    expect(typo).not.toBe(source)
    await writeFile(file, typo)
    try {
      const config = ts.getParsedCommandLineOfConfigFile(
        join(copy, 'tsconfig.json'),
        {},
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: () => undefined,
        },
      )
      const program = ts.createProgram([file], { ...config?.options, noEmit: true })
      const errors = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(
        /^Type '"dnoe"' is not assignable to type '("title"|"done"|"ownerId")( \| ("title"|"done"|"ownerId")){2}'\.$/,
      )
    } finally {
      await writeFile(file, source)
    }
  }, 60_000)

  it('a scope typo fails policy check and start-up', async () => {
    const file = join(copy, 'adapters/app/resources.ts')
    const source = await readFile(file, 'utf8')
    // As a JavaScript deployer (or a cast) would get past the compiler.
    await writeFile(
      file,
      source.replace(
        /list: 'own', get: 'own', create: true/,
        "list: 'mine' as 'own', get: 'own', create: true",
      ),
    )
    try {
      const check = await run(tsx, ['src/runtime/node/cli.ts', 'policy', 'check'], {
        cwd: copy,
        env: { ...process.env, BRIDGE_DATA_DIR: join(copy, '.data') },
      }).catch((error: { code: number; stdout: string }) => error)
      expect(check).toMatchObject({ code: 1 })
      expect((check as { stdout: string }).stdout).toContain(
        `resource "tasks": operations.list is "mine"; use 'own', 'all' or a function (did you mean "own"?)`,
      )
      await expect(startBridge({})).rejects.toThrow(/operations\.list is "mine"/)
    } finally {
      await writeFile(file, source)
    }
  }, 120_000)
})
