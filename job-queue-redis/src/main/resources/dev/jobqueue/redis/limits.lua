-- setLimits / limits: the queue's flow-control limits. Java side: LimitsScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the limits, a string
--       "<maxRunning>|<rateLimit>|<ratePeriod ms, rounded up>|<ratePeriod ns>" (absent = no limits), read by claim.lua in the
--       MGET it already sends (a hash would cost every claim a command); [12] the rate log (see claim.lua).
-- ARGV: [1..3] the common head (see the prelude); [4] 'set' or 'get'; [5] for 'set' the new
--       string, '' to remove the limits.
-- Reply: the limits string after the call (false when none). Setting is idempotent (last writer
-- wins), so a resend after a lost reply is harmless. Without a rate limit the rate log is dropped;
-- a changed rate limit keeps it (its claim times stay true; claim.lua trims it to the new limit).
local K_LIMITS, K_RATE = KEYS[11], KEYS[12]
if ARGV[4] == 'get' then
  return redis.call('GET', K_LIMITS)
end
local value = ARGV[5]
if value == '' then
  redis.call('DEL', K_LIMITS, K_RATE)
  return false
end
redis.call('SET', K_LIMITS, value)
if string.match(value, '^%d+|0|') then
  redis.call('DEL', K_RATE)
end
return value
