/**
 * `npm run build`: the compiled JavaScript that serves requests, and the browser client.
 * - dist/server/: the Node entry (src/runtime/node/main.ts) bundled with esbuild. Packages stay
 *   external (node_modules is there at run time); adapters and their SDKs stay separate chunks
 *   that load only when their configuration asks for them. Run it with `node dist/server/main.js`.
 * - dist/client.js: bridgekeeper/client for browsers, one minified ES module (goal: under 6 KiB
 *   gzipped).
 */
import { build, type Plugin } from 'esbuild'
import { chmodSync, readFileSync, rmSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import ts from 'typescript'

/** Marks every package import external except those whose name starts with one of `bundled`. */
function externalExcept(bundled: string[]): Plugin {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        bundled.some(
          (prefix) =>
            args.path === prefix ||
            args.path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
        )
          ? undefined
          : { path: args.path, external: true },
      )
    },
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`

rmSync('dist/server', { recursive: true, force: true })
const server = await build({
  entryPoints: { main: 'src/runtime/node/main.ts', cli: 'src/runtime/node/cli.ts' },
  outdir: 'dist/server',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled: the web framework, validation and JOSE (hundreds of small modules that would
  // otherwise be resolved and compiled one by one at start-up). External: everything else, which
  // loads only when an adapter asks for it (drivers, SDKs, native modules).
  plugins: [externalExcept(['hono', '@hono/', 'zod', 'jose', '@asteasolutions/', 'openapi3-ts'])],
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
})
// `npx bridgekeeper` runs the CLI as a program.
chmodSync('dist/server/cli.js', 0o755)
const outputs = Object.entries(server.metafile.outputs).filter(([file]) => file.endsWith('.js'))
const total = outputs.reduce((sum, [, output]) => sum + output.bytes, 0)
process.stdout.write(
  `server: dist/server/main.js and ${outputs.length - 1} chunks, ${kib(total)}\n`,
)

const clientFile = 'dist/client.js'
await build({
  entryPoints: ['client/index.ts'],
  outfile: clientFile,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  platform: 'browser',
  legalComments: 'none',
})
const code = readFileSync(clientFile)
process.stdout.write(
  `client: ${clientFile} ${kib(code.length)} minified, ${kib(gzipSync(code, { level: 9 }).length)} gzipped\n`,
)

// Its declarations (dist/client-types/), so a consumer's compiler reads types, not our source:
// they type-check under any consumer settings (NodeNext or Bundler, exactOptionalPropertyTypes).
rmSync('dist/client-types', { recursive: true, force: true })
const declarations = ts.createProgram(['client/index.ts'], {
  declaration: true,
  emitDeclarationOnly: true,
  outDir: 'dist/client-types',
  rootDir: 'client',
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: [],
  skipLibCheck: true,
})
const emitted = declarations.emit()
const problems = [...ts.getPreEmitDiagnostics(declarations), ...emitted.diagnostics]
if (problems.length > 0 || emitted.emitSkipped) {
  for (const problem of problems)
    process.stderr.write(`${ts.flattenDiagnosticMessageText(problem.messageText, '\n')}\n`)
  throw new Error('the client declarations did not build')
}
process.stdout.write('client: dist/client-types/index.d.ts\n')
