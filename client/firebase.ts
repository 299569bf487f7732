/** The part of the bridge client the helper uses. */
type SessionTokens = {
  getToken(template: string): Promise<string>
  onSignedOut(listener: () => void): () => void
}

/** The Firebase Auth functions the helper calls: pass your own imports (`firebase/auth`). */
export type FirebaseAuthFunctions<Auth> = {
  auth: Auth
  signInWithCustomToken(auth: Auth, token: string): Promise<unknown>
  signOut(auth: Auth): Promise<void>
}

/**
 * Keeps Firebase signed in as the bridge's user. A custom token is a one-time exchange and
 * Firebase keeps the claims of the last one until the next sign-in, so `sync()` signs in again
 * only when the user or the claims changed, and Firebase is signed out when the bridge session
 * ends (in any tab).
 */
export function syncFirebase<Auth>(
  client: SessionTokens,
  firebase: FirebaseAuthFunctions<Auth>,
  options: { template?: string } = {},
) {
  let signedInAs: string | undefined
  const stop = client.onSignedOut(() => {
    signedInAs = undefined
    void firebase.signOut(firebase.auth).catch(() => undefined)
  })
  return {
    /** Signs Firebase in when needed; true when it did. */
    async sync(): Promise<boolean> {
      const token = await client.getToken(options.template ?? 'firebase')
      const identity = identityOf(token)
      if (identity === signedInAs) return false
      await firebase.signInWithCustomToken(firebase.auth, token)
      signedInAs = identity
      return true
    },
    stop,
  }
}

/** The uid and developer claims of a custom token: what Firebase keeps after sign-in. */
function identityOf(token: string): string {
  try {
    const payload = JSON.parse(
      atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')),
    ) as { uid?: unknown; claims?: unknown }
    return JSON.stringify([payload.uid, payload.claims ?? {}])
  } catch {
    return token
  }
}
