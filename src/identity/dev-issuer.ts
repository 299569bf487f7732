import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose'
import type { Clock } from '../clock'
import { newId } from '../ids/prefixed-id'
import { principalFromClaims } from './claims'
import type { UserNamespaces } from './namespaces'
import type { TokenVerifier } from './upstream/upstream-verifier'
import { failureFromJose } from './upstream/verify-result'

const DEV_AUDIENCE = 'bridgekeeper-dev-login'
const DEV_TOKEN_TYPE = 'dev-login+jwt'
const DEV_TOKEN_SECONDS = 3600

type DevTokenInput = {
  sub: string
  email?: string | undefined
  emailVerified?: boolean | undefined
  roles?: string[] | undefined
  orgId?: string | undefined
  orgRole?: string | undefined
}

export interface DevIssuer extends TokenVerifier {
  readonly issuer: string
  issue(input: DevTokenInput): Promise<{ token: string; expiresAt: number }>
}

/**
 * Development only: an issuer of test-user tokens so the bridge can be tried without an identity
 * provider. It has its own issuer, audience, `typ` and key (made per process, never persisted),
 * so its tokens can't be confused with the tokens the bridge mints for providers.
 */
/** The development issuer's name: its own, under the bridge's URL. */
export const devIssuerOf = (publicUrl: string) => `${publicUrl}/dev`

export function createDevIssuer(
  publicUrl: string,
  clock: Clock,
  namespaces: UserNamespaces,
): DevIssuer {
  const issuer = devIssuerOf(publicUrl)
  let keys: Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> | undefined
  const keyPair = () => (keys ??= generateKeyPair('ES256'))

  return {
    issuer,
    handles: (iss) => iss === issuer,
    async issue(input) {
      const now = Math.floor(clock.now() / 1000)
      const { privateKey } = await keyPair()
      const token = await new SignJWT({
        email: input.email,
        email_verified: input.emailVerified ?? input.email !== undefined,
        roles: input.roles ?? [],
        org_id: input.orgId,
        org_role: input.orgRole,
      })
        .setProtectedHeader({ alg: 'ES256', typ: DEV_TOKEN_TYPE })
        .setIssuer(issuer)
        .setAudience(DEV_AUDIENCE)
        .setSubject(input.sub)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + DEV_TOKEN_SECONDS)
        .setJti(newId('tok'))
        .sign(privateKey)
      return { token, expiresAt: (now + DEV_TOKEN_SECONDS) * 1000 }
    },
    async verify(token) {
      try {
        const { publicKey } = await keyPair()
        const { payload } = await jwtVerify(token, publicKey, {
          issuer,
          audience: DEV_AUDIENCE,
          algorithms: ['ES256'],
          typ: DEV_TOKEN_TYPE,
          clockTolerance: 5,
          currentDate: new Date(clock.now()),
          requiredClaims: ['sub', 'exp'],
        })
        const namespace = namespaces.of(issuer)
        if (!namespace) return { ok: false, reason: 'unknown_issuer' }
        const principal = principalFromClaims(namespace, payload, {
          email: 'email',
          emailVerified: 'email_verified',
          roles: 'roles',
          org: 'org_id',
          orgRole: 'org_role',
        })
        if (!principal || payload.exp === undefined) return { ok: false, reason: 'no_subject' }
        return {
          ok: true,
          principal,
          expiresAt: payload.exp * 1000,
          issuedAt: typeof payload.iat === 'number' ? payload.iat * 1000 : undefined,
        }
      } catch (error) {
        return { ok: false, reason: failureFromJose(error) }
      }
    },
  }
}
