/** Environment variables whose values are secrets, or may hold one (a URL with a password). */
const SECRET_NAME = /(URL|KEY|KEYS|SECRET|PASSWORD|TOKEN|ACCOUNT|NODES|PEM)$/

/**
 * A message safe to print: the value of every secret-bearing variable of `env` (a database URL,
 * a key, a service account) is replaced, and so is the password of any URL in it.
 */
export function scrub(message: string, env: Record<string, string | undefined>): string {
  let out = message
  for (const [name, value] of Object.entries(env))
    if (value && value.length >= 6 && SECRET_NAME.test(name))
      out = out.split(value).join(`[${name}]`)
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1***@')
}
