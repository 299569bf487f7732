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

/**
 * The key per-address limits count under. An IPv6 client usually holds a whole /64, and picks any
 * address in it at will, so IPv6 addresses are grouped by their /64; IPv4 addresses stand alone.
 */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip
  const bare = ip.replace(/^\[|\]$/g, '').split('%')[0] ?? ''
  // An IPv4-mapped address (::ffff:192.0.2.1) is that IPv4 client.
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare)
  if (mapped?.[1]) return mapped[1]
  const [head = '', tail = ''] = bare.split('::')
  const left = head ? head.split(':') : []
  const right = bare.includes('::') ? (tail ? tail.split(':') : []) : []
  const groups = bare.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left
  const prefix = groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16))
  return `${prefix.join(':')}::/64`
}
