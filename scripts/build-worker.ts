/**
 * `npm run build:worker`: bundles the Worker as `wrangler deploy` would (dry run, into
 * .wrangler/dist) and prints its size; then bundles the same Worker without the Prisma adapter
 * (what a deployment with no Prisma resources ships) and fails if anything of Prisma is left in it.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build, type Plugin } from 'esbuild'

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`

const output = execFileSync(
  'npx',
  ['wrangler', 'deploy', '--dry-run', '--outdir', '.wrangler/dist'],
  { encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
)
const upload = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output)
if (!upload) throw new Error(`wrangler printed no bundle size:\n${output}`)
process.stdout.write(
  `worker: ${upload[1]} KiB, ${upload[2]} KiB gzipped (the configured adapters, Prisma on D1 included)\n`,
)

/** adapters/workers.ts as a user without Prisma resources would have it. */
const withoutPrisma: Plugin = {
  name: 'worker-adapters-without-prisma',
  setup(build) {
    build.onLoad({ filter: /adapters\/workers\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8')
        .split('\n')
        .filter((line) => !/prismaD1Adapter|prisma\/d1/.test(line))
        .join('\n'),
      loader: 'ts',
    }))
  },
}
const lean = await build({
  entryPoints: ['src/runtime/workers/index.ts'],
  bundle: true,
  write: false,
  metafile: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  external: ['cloudflare:*', 'node:*'],
  logLevel: 'error',
  plugins: [withoutPrisma],
})
// The deployment's `prisma.model(…)` references are data, not the driver: they may stay.
const prisma = Object.keys(lean.metafile.inputs).filter(
  (input) => /prisma/i.test(input) && !input.endsWith('adapters/prisma/reference.ts'),
)
const code = lean.outputFiles[0]?.contents ?? new Uint8Array()
process.stdout.write(
  `worker without Prisma resources: ${kib(code.length)}, ${kib(gzipSync(code).length)} gzipped\n`,
)
if (prisma.length > 0) {
  process.stderr.write(`a Worker without the Prisma adapter still bundles: ${prisma.join(', ')}\n`)
  process.exit(1)
}
