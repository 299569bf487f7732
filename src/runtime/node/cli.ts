#!/usr/bin/env node
/** `npx bridgekeeper`: the admin CLI (src/runtime/node/cli/program.ts lists the commands). */
import { runCli } from './cli/program'

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  stdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
})
process.exitCode = code
