-- list: the ids of a state's jobs. Java side: ListScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (key base, now, expiry slack; see the prelude); [4] state name; [5] limit.
-- Reply: hids in processing order where that applies (QUEUED: priority then FIFO; DELAYED/FAILING:
--       due time; PROCESSING: lease deadline; terminal: expiry).
local state, limit = ARGV[4], tonumber(ARGV[5])
if limit <= 0 then return {} end
if state == 'QUEUED' then
  local members = redis.call('ZRANGE', K_READY, 0, limit - 1)
  for i, m in ipairs(members) do members[i] = string.sub(m, 17) end
  return members
end
local by_time = { DELAYED = K_DELAYED, FAILING = K_FAILING, PROCESSING = K_LEASES }
if by_time[state] then return redis.call('ZRANGE', by_time[state], 0, limit - 1) end
return redis.call('ZRANGEBYSCORE', TERMINAL_INDEX[state], '(' .. NOW_S, '+inf', 'LIMIT', 0, limit)
