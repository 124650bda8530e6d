-- removeSchedule: removes a recurring schedule of the queue (jobs it enqueued stay). Java side: ScheduleScripts.
-- KEYS: [1..13] as schedule_upsert.lua.
-- ARGV: [1..3] the common head (see the prelude); [4] nonce of the call (see once() in the
--       prelude: a resend after a lost reply gets the first reply back); [5] sid.
-- Reply: 1 when it existed, 0 when not.
local K_DEF, K_META, K_DUE = KEYS[11], KEYS[12], KEYS[13]
local sid = ARGV[5]
return once(function()
  redis.call('HDEL', K_DEF, sid)
  redis.call('ZREM', K_DUE, sid)
  return redis.call('HDEL', K_META, sid)
end)
