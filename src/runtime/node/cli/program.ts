import { Command, CommanderError, Option } from 'commander'
import packageJson from '../../../../package.json'
import { clientTypes } from './client-types'
import { doctor } from './doctor'
import { CliFailure, EXIT, print, type CliIo } from './io'
import { generateKeys, listKeys, newKek, rotateKeys } from './keys'
import { checkPolicy, showPolicy } from './policy'
import { callBridge, type RemoteOptions } from './remote'
import { scrub } from './scrub'

type Json = { json: boolean }

/**
 * `bridgekeeper <command>`: runs one command and returns its exit code (0 done, 1 failed, 2 a
 * wrong command line). Output goes through `io`, so tests run it in-process.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok
  const program = new Command('bridgekeeper')
    .description('Bridgekeeper admin CLI')
    .version(packageJson.version)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
  const json = new Option('--json', 'print JSON')
  const remote = (command: Command) =>
    command
      .option('--url <url>', 'the bridge (default: BRIDGE_URL, else http://127.0.0.1:8787)')
      .option(
        '--admin-key-stdin',
        'read the admin API key from standard input (default: ADMIN_API_KEY; never an argument, which ps would show)',
      )
      .addOption(json)
  const run =
    <O>(action: (options: O) => Promise<number | void>) =>
    async (options: O) => {
      code = (await action(options)) ?? EXIT.ok
    }

  const keys = program.command('keys').description('signing keys')
  keys
    .command('generate')
    .description(
      'print a new signing key for SIGNING_KEYS (a JWK set), or --pem for SIGNING_KEYS_PEM',
    )
    .addOption(
      new Option('--alg <alg>', 'algorithm').choices(['RS256', 'ES256', 'EdDSA']).default('RS256'),
    )
    .option('--pem', 'PKCS#8 PEM instead of a JWK set', false)
    .action(run((o: { alg: 'RS256' | 'ES256' | 'EdDSA'; pem: boolean }) => generateKeys(io, o)))
  keys
    .command('kek')
    .description('print a new key-encryption key for KEY_ENCRYPTION_KEY')
    .action(run(async () => newKek(io)))
  remote(keys.command('list').description("a running bridge's keys and their states")).action(
    run((o: RemoteOptions & Json) => listKeys(io, o)),
  )
  remote(keys.command('rotate').description('start a rotation of managed keys')).action(
    run((o: RemoteOptions & Json) => rotateKeys(io, o)),
  )

  remote(
    program
      .command('hasura-config')
      .description(
        'the Hasura settings of a running bridge (HASURA_GRAPHQL_JWT_SECRET, or --webhook)',
      )
      .option('--webhook', 'webhook mode settings instead', false),
  ).action(
    run(async (o: RemoteOptions & Json & { webhook: boolean }) => {
      const path = `/v1/integrations/hasura/config${o.webhook ? '?mode=webhook' : ''}`
      // Webhook mode's settings carry the webhook secret: the admin key reads them.
      const body = await callBridge(io, o, path, { admin: o.webhook })
      io.out(JSON.stringify(body, null, o.json ? 2 : undefined))
    }),
  )

  for (const [provider, what] of [
    ['supabase', "Supabase's third-party auth settings (issuer, discovery and JWKS URLs)"],
    ['convex', "Convex's auth.config.ts entry (customJwt: issuer, JWKS, algorithm)"],
  ] as const)
    remote(
      program.command(`${provider}-config`).description(`the ${what} of a running bridge`),
    ).action(
      run(async (o: RemoteOptions & Json) => {
        const body = await callBridge(io, o, `/v1/integrations/${provider}/config`)
        io.out(JSON.stringify(body, null, o.json ? 2 : undefined))
      }),
    )

  const sessions = program.command('sessions').description('sessions')
  remote(
    sessions
      .command('revoke')
      .description('revoke every session of a user (and run the revocation hooks)')
      .requiredOption(
        '--user <userId>',
        'the user id as /v1/me shows it (found across the issuers; refused when ambiguous)',
      )
      .option('--issuer <issuer>', "the user's issuer, when user ids aren't namespaced"),
  ).action(
    run(async (o: RemoteOptions & Json & { user: string; issuer?: string }) => {
      const body = (await callBridge(io, o, '/v1/admin/sessions/revoke', {
        method: 'POST',
        admin: true,
        body: { userId: o.user, ...(o.issuer ? { issuer: o.issuer } : {}) },
      })) as { revoked: number }
      print(io, o.json, body, (b) => [`revoked ${b.revoked} session(s) of ${o.user}`])
    }),
  )

  const policy = program.command('policy').description('data resources and their policies')
  policy
    .command('show')
    .description("every resource's operations, scopes, readable and writable fields and presets")
    .addOption(json)
    .action(run((o: Json) => showPolicy(io, o)))
  policy
    .command('check')
    .description('load the resources with this environment and report what start-up would refuse')
    .addOption(json)
    .action(run((o: Json) => checkPolicy(io, o)))

  program
    .command('client-types')
    .description(
      "TypeScript types of this deployment's resources and templates for createBridgeClient<Bridge>()",
    )
    .option('--out <file>', 'write them to a file instead of printing them')
    .action(run((o: { out?: string }) => clientTypes(io, o)))

  program
    .command('doctor')
    .description('check the configuration and reach the store, databases, issuers and keys')
    .addOption(json)
    .action(run((o: Json) => doctor(io, o)))

  try {
    await program.parseAsync(argv, { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    if (error instanceof CliFailure) {
      io.err(`bridgekeeper: ${scrub(error.message, io.env)}`)
      return EXIT.failed
    }
    // Anything else in one line, without a stack, and without a secret of the environment (a
    // driver's message may quote DATABASE_URL).
    const message = error instanceof Error ? error.message : String(error)
    io.err(`bridgekeeper: ${scrub(message.split('\n')[0] ?? 'failed', io.env)}`)
    return EXIT.failed
  }
}
