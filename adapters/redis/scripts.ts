/**
 * Lua scripts that make each multi-key store operation atomic in Redis. Keys for other sessions
 * are built inside the scripts from prefixes, so the store targets one Redis (or one cluster
 * slot via a hash-tagged STORE_KEY_PREFIX such as "{bk}:").
 */

/** Drops one session and every secret that leads to it. Shared by revoke, evict and expiry. */
const DROP = `
local function drop(sessionKey, id, secretPrefix, userPrefix)
  local f = redis.call('HMGET', sessionKey, 'secretHash', 'prevHash', 'userKey')
  if f[1] and f[1] ~= '' then redis.call('DEL', secretPrefix .. f[1]) end
  if f[2] and f[2] ~= '' then redis.call('DEL', secretPrefix .. f[2]) end
  if f[3] then redis.call('ZREM', userPrefix .. f[3], id) end
  redis.call('DEL', sessionKey)
end
`

// KEYS: session, secret, user index. ARGV: id, data, secretHash, lastActiveAt, idleExpiresAt,
// absoluteExpiresAt, createdAt, maxPerUser, sessionPrefix, secretPrefix, userPrefix, userKey
export const CREATE = `${DROP}
local expireAt = math.min(tonumber(ARGV[5]), tonumber(ARGV[6]))
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'secretHash', ARGV[3], 'prevHash', '', 'userKey', ARGV[12],
  'lastActiveAt', ARGV[4], 'idleExpiresAt', ARGV[5], 'absoluteExpiresAt', ARGV[6])
redis.call('PEXPIREAT', KEYS[1], expireAt)
redis.call('SET', KEYS[2], ARGV[1], 'PXAT', expireAt)
redis.call('ZADD', KEYS[3], tonumber(ARGV[7]), ARGV[1])
if redis.call('PTTL', KEYS[3]) == -1 then
  redis.call('PEXPIREAT', KEYS[3], ARGV[6])
else
  redis.call('PEXPIREAT', KEYS[3], ARGV[6], 'GT')
end
local alive = {}
for _, sid in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if redis.call('EXISTS', ARGV[9] .. sid) == 1 then table.insert(alive, sid) else redis.call('ZREM', KEYS[3], sid) end
end
local evicted = {}
for i = 1, #alive - tonumber(ARGV[8]) do
  drop(ARGV[9] .. alive[i], alive[i], ARGV[10], ARGV[11])
  table.insert(evicted, alive[i])
end
return evicted
`

/** Finds a session by its secret's hash and slides its idle expiry (the authenticate contract). */
const AUTHENTICATE_FUNCTION = `
local function authenticate()
  local id = redis.call('GET', KEYS[1])
  if not id then return nil end
  local key = ARGV[3] .. id
  local f = redis.call('HMGET', key, 'data', 'secretHash', 'lastActiveAt', 'idleExpiresAt', 'absoluteExpiresAt')
  if not f[1] then
    redis.call('DEL', KEYS[1])
    return nil
  end
  local now = tonumber(ARGV[1])
  local absolute = tonumber(f[5])
  if now >= absolute or now >= tonumber(f[4]) then
    drop(key, id, ARGV[5], ARGV[6])
    return nil
  end
  local current = f[2] == ARGV[4]
  local prev = redis.call('HMGET', key, 'prevHash', 'prevValidUntil')
  local inGrace = prev[1] == ARGV[4] and now < tonumber(prev[2] or '0')
  -- A superseded secret after its grace: reported (the caller revokes), never refreshed.
  if not current and not inGrace then return {f[1], f[2], f[3], f[4], f[5], '0', '1'} end
  -- Touched a moment ago: nothing to write (the idle expiry is at most touchAfterMs short).
  if now - tonumber(f[3]) < tonumber(ARGV[7] or '0') then
    return {f[1], f[2], f[3], f[4], f[5], current and '1' or '0', '0'}
  end
  local idle = math.min(now + tonumber(ARGV[2]), absolute)
  redis.call('HSET', key, 'lastActiveAt', ARGV[1], 'idleExpiresAt', idle)
  redis.call('PEXPIREAT', key, idle)
  if current then redis.call('PEXPIREAT', KEYS[1], idle) end
  return {f[1], f[2], ARGV[1], tostring(idle), f[5], current and '1' or '0', '0'}
end
`

// KEYS: secret. ARGV: now, idleMs, sessionPrefix, secretHash, secretPrefix, userPrefix, touchAfterMs
export const AUTHENTICATE = `${DROP}${AUTHENTICATE_FUNCTION}
return authenticate()
`

// KEYS: secret, a counter's current and previous windows (one Redis node only: the counter's
// keys are in another slot). ARGV: as AUTHENTICATE. The session's reply (or nil) and the counts.
export const AUTHENTICATE_COUNTING = `${DROP}${AUTHENTICATE_FUNCTION}
local session = authenticate()
local counts = redis.call('MGET', KEYS[2], KEYS[3])
return {session or false, counts[1] or false, counts[2] or false}
`

// KEYS: session, current secret, next secret. ARGV: id, currentHash, nextHash, now, graceMs, secretPrefix
export const ROTATE = `
local f = redis.call('HMGET', KEYS[1], 'secretHash', 'prevHash', 'idleExpiresAt', 'absoluteExpiresAt', 'data', 'lastActiveAt')
if not f[1] or f[1] ~= ARGV[2] then return nil end
local now = tonumber(ARGV[4])
local expireAt = math.min(tonumber(f[3]), tonumber(f[4]))
if now >= expireAt then return nil end
local graceUntil = math.min(now + tonumber(ARGV[5]), expireAt)
redis.call('HSET', KEYS[1], 'secretHash', ARGV[3], 'prevHash', ARGV[2], 'prevValidUntil', tostring(graceUntil))
redis.call('SET', KEYS[3], ARGV[1], 'PXAT', expireAt)
-- The old secret stays known until the session's absolute end, so a late replay is recognised.
redis.call('PEXPIREAT', KEYS[2], tonumber(f[4]))
return {f[5], ARGV[3], f[6], f[3], f[4]}
`

// KEYS: session. ARGV: id, secretPrefix, userPrefix
export const REVOKE = `${DROP}
local f = redis.call('HMGET', KEYS[1], 'data', 'secretHash', 'lastActiveAt', 'idleExpiresAt', 'absoluteExpiresAt')
if not f[1] then return nil end
drop(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
return f
`

// KEYS: user index. ARGV: sessionPrefix, secretPrefix, userPrefix
export const REVOKE_USER = `${DROP}
local count = 0
for _, sid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', ARGV[1] .. sid) == 1 then count = count + 1 end
  drop(ARGV[1] .. sid, sid, ARGV[2], ARGV[3])
end
redis.call('DEL', KEYS[1])
return count
`

// KEYS: current window, previous window. ARGV: windowMs
export const HIT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2) end
return {current, tonumber(redis.call('GET', KEYS[2]) or '0')}
`

// KEYS: bucket. ARGV: capacity, intervalMs, now, cost
export const TAKE = `
local f = redis.call('HMGET', KEYS[1], 'tokens', 'updatedAt')
local capacity, interval, now, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens, updated = capacity, now
if f[1] then
  updated = math.max(now, tonumber(f[2]))
  tokens = math.min(capacity, tonumber(f[1]) + math.max(0, now - tonumber(f[2])) * capacity / interval)
end
local allowed = tokens >= cost
if allowed then tokens = tokens - cost end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updatedAt', tostring(updated))
redis.call('PEXPIRE', KEYS[1], interval * 2)
return {allowed and 1 or 0, tostring(tokens)}
`

// KEYS: key. ARGV: expected ('' with ARGV[3] = '1' for absent), value, expectAbsent
export const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[3] == '1' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`

/** Keeps the later of the stored "not before" time and ARGV[1], for ARGV[2] ms. */
export const RAISE_NOT_BEFORE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = tonumber(ARGV[1])
if current > at then at = current end
redis.call('SET', KEYS[1], tostring(at), 'PX', ARGV[2])
return at
`
