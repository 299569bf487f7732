import type { TrustProxy } from '../config/config'

/**
 * The client address used for rate limits and audit logs (SECURITY.md, "Client addresses").
 * Forwarding headers are read only when the deployment declares that a proxy sets them;
 * otherwise the socket address wins and client-sent headers are ignored.
 */
export function clientIp(
  headers: Headers,
  socketAddress: string | undefined,
  trustProxy: TrustProxy,
): string {
  switch (trustProxy) {
    case 'cf-connecting-ip': {
      const value = headers.get('cf-connecting-ip')?.trim()
      return value || socketAddress || 'unknown'
    }
    case 'x-forwarded-for': {
      // The trusted proxy appends the address it saw: the right-most entry is the one to trust.
      const hops = (headers.get('x-forwarded-for') ?? '')
        .split(',')
        .map((hop) => hop.trim())
        .filter(Boolean)
      return hops.at(-1) ?? socketAddress ?? 'unknown'
    }
    case 'none':
      return socketAddress ?? 'unknown'
  }
}

/** True when the original request used HTTPS (directly, or as a trusted proxy reports it). */
export function isHttps(url: string, headers: Headers, trustProxy: TrustProxy): boolean {
  if (url.startsWith('https:')) return true
  if (trustProxy === 'none') return false
  return headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
}
