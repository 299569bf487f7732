/**
 * bench/tokens.ts, in one run:
 *  1. Firebase custom tokens/s: the bridge's minting function against firebase-admin's
 *     createCustomToken, same service account, same uid and claims (ratio).
 *  2. HTTP `POST /v1/tokens/hasura` requests/s (session-authenticated, real server on loopback)
 *     against the raw jose signing rate of the same key (ratio).
 *
 *   npx tsx bench/tokens.ts
 */
import { cert, initializeApp } from 'firebase-admin/app'
import { getAuth } from 'firebase-admin/auth'
import { SignJWT } from 'jose'
import { defineFirebaseTemplate } from '../adapters/firebase/firebase-template'
import type { Principal } from '../src/identity/principal'
import { staticKeys } from '../src/keys/key-provider'
import { generateSigningJwk, importSigningKey } from '../src/keys/signing-key'
import { testServiceAccount } from '../test/helpers/service-account'
import { serveBenchBridge } from './bridge'
import { measureRps } from './http-load'
import { bearerSession } from './sign-in'

const SECONDS = Number(process.env.BENCH_MS ?? 3000)

async function rate(label: string, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await run() // warm-up
  let count = 0
  const started = performance.now()
  while (performance.now() - started < SECONDS) {
    await run()
    count++
  }
  const perSecond = count / ((performance.now() - started) / 1000)
  console.log(`${label.padEnd(44)} ${perSecond.toFixed(0)} /s`)
  return perSecond
}

// 1. Firebase
const { account } = testServiceAccount()
const admin = getAuth(
  initializeApp({
    credential: cert({
      projectId: account.project_id,
      clientEmail: account.client_email,
      privateKey: account.private_key,
    }),
  }),
)
const firebase = defineFirebaseTemplate({
  serviceAccount: account,
  lifetimeSeconds: 3600,
  claims: { roles: ['editor'], tier: 'gold' },
})
const key = await importSigningKey(await generateSigningJwk('RS256'))
const keys = staticKeys([key])
const principal: Principal = {
  userId: 'bench-user',
  issuer: 'https://issuer.test',
  email: 'b@example.com',
  emailVerified: true,
  roles: ['editor'],
  orgId: undefined,
  sessionId: undefined,
  expiresAt: Date.now() + 86_400_000,
  method: 'upstream_jwt',
  claims: {},
}
const ours = await rate('Firebase: bridge minting (jose/WebCrypto)', () =>
  firebase.mint({ principal, now: Date.now(), issuer: 'x', keys }),
)
const theirs = await rate('Firebase: firebase-admin createCustomToken', () =>
  admin.createCustomToken('bench-user', { roles: ['editor'], tier: 'gold' }),
)

// 2. Hasura over HTTP vs raw jose signing with the same key
const server = await serveBenchBridge({ keys })
const secret = await bearerSession(server.url, { sub: 'bench' })
const raw = await rate('jose: raw RS256 SignJWT, same key', () =>
  new SignJWT({ 'https://hasura.io/jwt/claims': { 'x-hasura-user-id': 'bench' } })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key.privateKey),
)
await measureRps({
  url: `${server.url}/v1/tokens/hasura`,
  method: 'POST',
  headers: { authorization: `Bearer ${secret}` },
  durationMs: 500,
  connections: 8,
})
const http = await measureRps({
  url: `${server.url}/v1/tokens/hasura`,
  method: 'POST',
  headers: { authorization: `Bearer ${secret}` },
  durationMs: SECONDS,
  connections: 8,
})
if (Object.keys(http.statuses).some((s) => s !== '200'))
  throw new Error(`unexpected statuses ${JSON.stringify(http.statuses)}`)
console.log(
  `${'HTTP POST /v1/tokens/hasura (session)'.padEnd(44)} ${http.rps.toFixed(0)} /s  median ${http.medianMs.toFixed(2)} ms`,
)
console.log(`ratio Firebase bridge : firebase-admin        ${(ours / theirs).toFixed(2)}`)
console.log(`ratio HTTP hasura : raw jose signing          ${(http.rps / raw).toFixed(2)}`)
await server.close()
process.exit(0)
