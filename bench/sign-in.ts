/** A development-issuer login exchanged for a bearer session secret, over real HTTP. */
export async function bearerSession(
  base: string,
  user: { sub: string; email?: string },
): Promise<string> {
  const login = await fetch(`${base}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  })
  const { token } = (await login.json()) as { token: string }
  const created = await fetch(`${base}/v1/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"transport":"bearer"}',
  })
  if (created.status !== 201) throw new Error(`sign-in failed: ${created.status}`)
  return ((await created.json()) as { secret: string }).secret
}
