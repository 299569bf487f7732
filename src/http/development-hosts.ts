import { AppError } from '../errors/app-error'
import { problemResponse } from '../errors/problem'
import { isLoopbackHost } from '../config/config'
import type { EdgeStep } from './edge'

/**
 * Development mode answers only requests addressed to a loopback name or to PUBLIC_URL's host.
 * A page on another site can make the browser send requests to 127.0.0.1 under its own name (DNS
 * rebinding): their Host is that site's, so they are refused before any route, /dev/token (which
 * signs in as anyone) included.
 */
export function developmentHosts(publicUrl: string): EdgeStep {
  const own = new URL(publicUrl).hostname.toLowerCase()
  return {
    before(c) {
      const hostname = new URL(c.req.url).hostname.toLowerCase()
      if (hostname === own || isLoopbackHost(hostname) || hostname.endsWith('.localhost'))
        return undefined
      c.get('log').warn('security.development_host_refused', { host: hostname.slice(0, 253) })
      return problemResponse(
        new AppError('forbidden', {
          detail: 'Development mode answers only loopback host names and PUBLIC_URL.',
          reason: 'development_host',
        }),
        c.get('requestId'),
      )
    },
  }
}
