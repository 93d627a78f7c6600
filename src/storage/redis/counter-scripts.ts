/**
 * The Lua side of RedisCounterStore: one script per operation, so each runs atomically on the server.
 * The window and bucket scripts mirror ../sliding-window.ts and ../token-bucket.ts operation for
 * operation (same formulas, same rounding) so Redis and memory agree exactly. Infinity is returned as -1.
 * Logical time comes from the caller (ARGV now); PEXPIRE is garbage collection with a margin.
 */

const MARGIN_MS = 1000;

export const HIT_SCRIPT = `
local w = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local force = ARGV[5] == '1'
local bucket = math.floor(now / w)
local current, previous = 0, 0
local s = redis.call('HMGET', KEYS[1], 'b', 'c', 'p')
if force and s[1] and bucket < tonumber(s[1]) then
  if bucket == tonumber(s[1]) - 1 then
    redis.call('HSET', KEYS[1], 'p', string.format('%.17g', math.max(0, tonumber(s[3]) + cost)))
  end
  return {1, 0, 0, 0}
end
if s[1] then
  local sb = tonumber(s[1])
  if bucket < sb then bucket = sb end
  if bucket == sb then
    current = tonumber(s[2])
    previous = tonumber(s[3])
  elseif bucket == sb + 1 then
    previous = tonumber(s[2])
  end
end
local elapsed = math.max(0, now - bucket * w)
local untilRollover = w - elapsed
local estimate = (previous * untilRollover) / w + current
local allowed = force or (estimate < limit and estimate + cost <= limit)
if allowed then current = math.max(0, current + cost) end
local used = estimate
if allowed then used = estimate + cost end
local retry = 0
if not allowed then
  if cost > limit then
    retry = -1
  elseif current + cost <= limit and previous > 0 then
    retry = math.max(1, math.ceil(untilRollover - ((limit - current - cost) * w) / previous))
  else
    local after = 0
    if current > 0 then after = w - ((limit - cost) * w) / current end
    retry = math.max(1, math.ceil(untilRollover + math.max(0, after)))
  end
end
redis.call('HSET', KEYS[1], 'b', string.format('%.17g', bucket), 'c', string.format('%.17g', current),
  'p', string.format('%.17g', previous))
redis.call('PEXPIRE', KEYS[1], math.ceil((bucket + 2) * w - now) + ${MARGIN_MS})
local reset = math.ceil(untilRollover)
if retry == -1 then reset = -1 elseif retry > reset then reset = retry end
return {allowed and 1 or 0, math.max(0, math.floor(limit - used)), reset, retry}
`;

export const BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local force = ARGV[5] == '1'
local tokens, at = capacity, now
local s = redis.call('HMGET', KEYS[1], 't', 'a')
if s[1] then
  local st = tonumber(s[1])
  local sa = tonumber(s[2])
  at = math.max(sa, now)
  local elapsed = math.max(0, now - sa)
  tokens = math.min(capacity, st + (elapsed * refill) / 1000)
end
local allowed = force or tokens >= cost
if allowed then tokens = math.min(capacity, tokens - cost) end
local retry = 0
if not allowed then
  if cost > capacity then retry = -1 else retry = math.max(1, math.ceil(((cost - tokens) * 1000) / refill)) end
end
local untilFull = math.ceil(((capacity - tokens) * 1000) / refill)
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'a', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.ceil(at - now + untilFull) + ${MARGIN_MS})
local reset = untilFull
if retry == -1 then reset = -1 elseif retry > reset then reset = retry end
return {allowed and 1 or 0, math.max(0, math.floor(tokens)), reset, retry}
`;

/** Drops holds whose expiry (ZSET score) has passed, returning their amounts from "held". */
const PRUNE_HOLDS = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(expired) do
  local amount = redis.call('HGET', KEYS[1], 'h:' .. id)
  if amount then
    redis.call('HINCRBY', KEYS[1], 'held', -tonumber(amount))
    redis.call('HDEL', KEYS[1], 'h:' .. id)
  end
end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local held = tonumber(redis.call('HGET', KEYS[1], 'held') or '0')
`;

/** KEYS: tally hash, holds zset. ARGV: amount, limit, ttlMs, now, id, keyTtlMs ('' for none). */
export const RESERVE_SCRIPT = `
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
${PRUNE_HOLDS}
local total = used + held
local result
if total >= limit or total + amount > limit then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  local retry = -1
  if first[2] then retry = math.max(1, tonumber(first[2]) - now) end
  result = {0, math.max(0, limit - total), retry}
else
  redis.call('HINCRBY', KEYS[1], 'held', amount)
  redis.call('HSET', KEYS[1], 'h:' .. ARGV[5], amount)
  redis.call('ZADD', KEYS[2], now + ttl, ARGV[5])
  result = {1, limit - total - amount, 0}
end
-- The holds zset shares the hash's lifetime, so a hold can never outlive the counter it is part of.
if ARGV[6] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
end
return result
`;

/** KEYS: tally hash, holds zset. ARGV: id, actual, keyTtlMs ('' for none). */
export const SETTLE_SCRIPT = `
local existed = redis.call('EXISTS', KEYS[1])
local amount = redis.call('HGET', KEYS[1], 'h:' .. ARGV[1])
local found = 0
if amount then
  redis.call('HINCRBY', KEYS[1], 'held', -tonumber(amount))
  redis.call('HDEL', KEYS[1], 'h:' .. ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  found = 1
end
redis.call('HINCRBY', KEYS[1], 'used', ARGV[2])
if existed == 0 and ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return found
`;

/** KEYS: tally hash, holds zset. ARGV: id. */
export const RELEASE_SCRIPT = `
local amount = redis.call('HGET', KEYS[1], 'h:' .. ARGV[1])
if amount then
  redis.call('HINCRBY', KEYS[1], 'held', -tonumber(amount))
  redis.call('HDEL', KEYS[1], 'h:' .. ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return 0
`;

/** KEYS: tally hash, holds zset. ARGV: now. */
export const BALANCE_SCRIPT = `
local now = tonumber(ARGV[1])
${PRUNE_HOLDS}
return {used, held}
`;

/** KEYS: leases zset. ARGV: limit, leaseMs, now, id. */
export const ACQUIRE_SCRIPT = `
local limit = tonumber(ARGV[1])
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local active = redis.call('ZCARD', KEYS[1])
if active >= limit then return {0, active} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - now) + ${MARGIN_MS})
return {1, active + 1}
`;
