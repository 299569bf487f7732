/**
 * Sliding-window estimate from two fixed windows (the approach Cloudflare describes for its rate
 * limiter): count = current + previous × (share of the previous window still inside the slide).
 * Shared by every store so they all count the same way.
 */
export function windowStart(now: number, windowMs: number): number {
  return now - (now % windowMs)
}

export function slidingCount(
  now: number,
  windowMs: number,
  current: number,
  previous: number,
): number {
  const elapsed = (now % windowMs) / windowMs
  return current + Math.floor(previous * (1 - elapsed))
}

/** Token-bucket refill: tokens after `elapsedMs`, capped at capacity. */
export function refill(
  tokens: number,
  elapsedMs: number,
  capacity: number,
  intervalMs: number,
): number {
  return Math.min(capacity, tokens + (Math.max(0, elapsedMs) * capacity) / intervalMs)
}

/** Milliseconds until `cost` tokens are available again. */
export function waitFor(
  tokens: number,
  cost: number,
  capacity: number,
  intervalMs: number,
): number {
  return tokens >= cost ? 0 : Math.ceil(((cost - tokens) * intervalMs) / capacity)
}
