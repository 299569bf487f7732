/**
 * `npm run airtable:local`: the local Airtable-compatible server for development, with an
 * Apartments table seeded for two users. Prints the variables to start the bridge against it.
 */
import { startLocalAirtable } from './server'

const base = 'appLocalDevelop01'
const token = 'patLocalDevelopmt.0000000000000000000000000000000000000000000000000000000000000000'
const server = await startLocalAirtable({
  token,
  bases: { [base]: ['Apartments'] },
  port: Number(process.env.AIRTABLE_LOCAL_PORT ?? 8788),
})
for (const [email, name, price] of [
  ['ada@example.com', 'Canal loft', 1800],
  ['ada@example.com', 'Garden flat', 1500],
  ['bob@example.com', 'Harbour studio', 1200],
] as const) {
  server.seed(base, 'Apartments', {
    Name: name,
    Address: `${name} street`,
    Price: price,
    Email: email,
  })
}
process.stdout.write(
  [
    `Local Airtable-compatible server on ${server.url} (base ${base}, table Apartments)`,
    'Start the bridge against it with:',
    `  AIRTABLE_ENDPOINT_URL=${server.url} AIRTABLE_BASE_ID=${base} AIRTABLE_TOKEN=${token} npm start`,
    '',
  ].join('\n'),
)
