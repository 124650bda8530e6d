-- upsertSchedule: creates or updates a recurring schedule of the queue. Java side: ScheduleScripts.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the definitions (a hash: sid ->
--       definition bytes); [12] the versions and next fire times (a hash: sid ->
--       "<version>|<epoch second>|<nano>|<nonce of the last advance>"); [13] the index by next
--       fire time (a sorted set: score = next fire time in ms, rounded up; member sid).
-- ARGV: [1..3] the common head (see the prelude); [4] sid (hex of the schedule id's UTF-8);
--       [5] definition; [6] next fire time "<epoch second>|<nano>"; [7] its score (ms, rounded up).
-- Reply: the schedule's meta string after the call ("<version>|<second>|<nano>|<nonce>").
-- Idempotent: a byte-equal definition changes nothing (so a resend after a lost reply gets the
-- same record back); any other writes the definition and the fire time, version 1 or old + 1.
local K_DEF, K_META, K_DUE = KEYS[11], KEYS[12], KEYS[13]
local sid = ARGV[4]
local meta = redis.call('HGET', K_META, sid)
if meta and redis.call('HGET', K_DEF, sid) == ARGV[5] then
  return meta
end
local version = 1
if meta then version = tonumber(string.match(meta, '^(%d+)|')) + 1 end
meta = int(version) .. '|' .. ARGV[6] .. '|'
redis.call('HSET', K_DEF, sid, ARGV[5])
redis.call('HSET', K_META, sid, meta)
redis.call('ZADD', K_DUE, ARGV[7], sid)
return meta
