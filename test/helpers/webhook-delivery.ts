import { Webhook } from 'standardwebhooks'
import type { TestApp } from './test-app'

/**
 * A delivery as Svix sends Clerk's (svix-id, svix-timestamp in seconds, svix-signature), signed
 * with the sender's own library.
 */
export function clerkDelivery(
  t: Pick<TestApp, 'app'>,
  event: object,
  options: { id?: string; at?: Date; secret: string; headers?: Record<string, string> },
): Promise<Response> {
  const id = options.id ?? `msg_${crypto.randomUUID()}`
  const at = options.at ?? new Date()
  const body = JSON.stringify(event)
  const signature = new Webhook(options.secret).sign(id, at, body)
  return Promise.resolve(
    t.app.request('/v1/webhooks/clerk', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'svix-id': id,
        'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
        'svix-signature': signature,
        ...options.headers,
      },
      body,
    }),
  )
}
