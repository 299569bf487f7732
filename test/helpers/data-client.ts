import type { App } from '../../src/assembly/create-app'

export type DataResponse = {
  status: number
  body: { id: string; fields: Record<string, unknown>; code?: string; [k: string]: unknown }
}

/**
 * Signs `user` in through the development issuer and returns a caller of /v1/data/{resource}.
 * `raw` sends a body verbatim (for JSON the client library would never produce).
 */
export async function dataClient(app: App, resource: string, user: string) {
  const response = await app.request('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub: user, email: `${user}@example.com` }),
  })
  const { token } = (await response.json()) as { token: string }
  return async (method: string, path = '', body?: unknown, raw?: string): Promise<DataResponse> => {
    const sent = raw ?? (body === undefined ? undefined : JSON.stringify(body))
    const r = await app.request(`/v1/data/${resource}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(sent === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: sent,
    })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : null }
  }
}
