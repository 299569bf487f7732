import { Webhook } from 'standardwebhooks'
import { WebhookRefused, type IdentityEvent, type IdentityWebhook } from './identity-webhook'

/**
 * Checks and reads a Standard Webhooks delivery (the scheme Svix, and so Clerk, signs with): HMAC-SHA256
 * over `id.timestamp.body` with the secret after its `whsec_` prefix, a timestamp within five
 * minutes of now. `names` are the three headers (`webhook-*`, or `svix-*` for Clerk). Returns
 * the delivery id and the parsed body.
 */
function readSignedDelivery(
  secret: string,
  names: { id: string; timestamp: string; signature: string },
  body: string,
  header: (name: string) => string | undefined,
): { id: string; payload: unknown } {
  const id = header(names.id)
  const timestamp = header(names.timestamp)
  const signature = header(names.signature)
  if (!id || !timestamp || !signature) throw new WebhookRefused('missing_headers')
  try {
    const payload = new Webhook(secret).verify(body, {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signature,
    })
    return { id, payload }
  } catch (error) {
    const message = error instanceof Error ? error.message : ''
    throw new WebhookRefused(
      /timestamp/i.test(message) ? 'stale_or_future_timestamp' : 'bad_signature',
    )
  }
}

/** The headers Svix (and so Clerk) signs with, and those of the Standard Webhooks spec. */
export const SVIX_HEADERS = {
  id: 'svix-id',
  timestamp: 'svix-timestamp',
  signature: 'svix-signature',
} as const
export const STANDARD_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const

/**
 * An identity provider's webhook signed the Standard Webhooks way: the delivery is checked and
 * read here; `read` says, in the provider's terms, what the verified payload means.
 */
export function signedIdentityWebhook(options: {
  provider: string
  issuer: string
  secret: string
  headers: { id: string; timestamp: string; signature: string }
  read(payload: unknown): Omit<IdentityEvent, 'id'>
}): IdentityWebhook {
  return {
    provider: options.provider,
    issuer: options.issuer,
    read(body, header) {
      const { id, payload } = readSignedDelivery(options.secret, options.headers, body, header)
      return { id, ...options.read(payload) }
    },
  }
}
