/**
 * Every problem the bridge can answer with, keyed by its stable `code`.
 * Clients match on `code`; `title` is for humans and may be reworded.
 * See RFC 9457 (Problem Details for HTTP APIs).
 */
export const problemCatalogue = {
  bad_request: { status: 400, title: 'Bad request' },
  invalid_cursor: { status: 400, title: 'The cursor is not valid for this query' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  unauthorized: { status: 401, title: 'Authentication required' },
  invalid_token: { status: 401, title: 'The credentials are invalid or expired' },
  forbidden: { status: 403, title: 'Forbidden' },
  origin_not_allowed: { status: 403, title: 'The request origin is not allowed' },
  operation_not_allowed: { status: 403, title: 'This operation is not allowed on this resource' },
  email_not_verified: { status: 403, title: 'A verified email address is required' },
  scope_denied: { status: 403, title: 'The policy grants you no rows for this operation' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  cursor_expired: { status: 409, title: 'The cursor expired: list again from the start' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  validation_failed: { status: 422, title: 'The request is not valid' },
  unknown_field: { status: 422, title: 'The resource has no such field' },
  field_not_readable: { status: 422, title: 'This field cannot be read, filtered or sorted on' },
  field_not_writable: { status: 422, title: 'This field cannot be written' },
  field_immutable: { status: 422, title: 'This field cannot change after create' },
  invalid_value: { status: 422, title: 'A value has the wrong type or shape' },
  operator_not_allowed: { status: 422, title: 'This filter operator is not allowed' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  misconfigured: { status: 500, title: 'The bridge is not configured correctly' },
  not_configured: { status: 501, title: 'This integration is not configured' },
  bad_gateway: { status: 502, title: 'The backend answered with an error' },
  store_unavailable: { status: 503, title: 'The session store is unavailable' },
  backend_unavailable: { status: 503, title: 'The backend is unavailable' },
  keys_unavailable: { status: 503, title: 'No signing key is available right now' },
  gateway_timeout: { status: 504, title: 'The backend did not answer in time' },
} as const satisfies Record<string, { status: number; title: string }>

export type ProblemCode = keyof typeof problemCatalogue
