/**
 * Builds bridgekeeper/client for browsers: one ES module, minified, at dist/client.js, and prints
 * its size (the goal is under 6 KiB gzipped).
 */
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const outfile = 'dist/client.js'
await build({
  entryPoints: ['client/index.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  platform: 'browser',
  legalComments: 'none',
})
const code = readFileSync(outfile)
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`
process.stdout.write(
  `client: ${outfile} ${kib(code.length)} minified, ${kib(gzipSync(code, { level: 9 }).length)} gzipped\n`,
)
