-- advanceSchedule: compare-and-set of a schedule's next fire time. Java side: ScheduleScripts.
-- KEYS: [1..13] as schedule_upsert.lua.
-- ARGV: [1..3] the common head (see the prelude); [4] sid; [5] the expected version; [6] the new
--       next fire time "<epoch second>|<nano>"; [7] its score (ms, rounded up); [8] nonce of the call.
-- Reply: 1 advanced (version + 1), 0 not (no such schedule, or another version). The nonce is kept
-- in the meta string: a resend of this very call after a lost reply (the version is expected + 1
-- and the last advance carried this nonce) answers 1 again, any other caller of the same version 0.
local K_META, K_DUE = KEYS[12], KEYS[13]
local sid = ARGV[4]
local meta = redis.call('HGET', K_META, sid)
if not meta then return 0 end
local version, nonce = string.match(meta, '^(%d+)|[^|]*|[^|]*|(.*)$')
local expected = tonumber(ARGV[5])
version = tonumber(version)
if version == expected then
  redis.call('HSET', K_META, sid, int(version + 1) .. '|' .. ARGV[6] .. '|' .. ARGV[8])
  redis.call('ZADD', K_DUE, ARGV[7], sid)
  return 1
end
if version == expected + 1 and nonce == ARGV[8] then return 1 end
return 0
