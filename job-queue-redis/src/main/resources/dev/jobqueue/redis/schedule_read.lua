-- listSchedules / dueSchedules: reads the queue's recurring schedules. Java side: ScheduleScripts.
-- KEYS: [1..13] as schedule_upsert.lua.
-- ARGV: [1..3] the common head (see the prelude); [4] '' for every schedule, else the most due
--       schedules to return.
-- Reply: flat {sid, definition, meta} per schedule: every schedule (unsorted; the client sorts by
-- id), or the due ones (next fire time at or before now), earliest first. Nothing due costs one
-- ZRANGEBYSCORE on the index (and the TIME of the prelude).
local K_DEF, K_META, K_DUE = KEYS[11], KEYS[12], KEYS[13]
local sids
if ARGV[4] == '' then
  sids = redis.call('HKEYS', K_META)
else
  sids = redis.call('ZRANGEBYSCORE', K_DUE, '-inf', NOW_S, 'LIMIT', 0, ARGV[4])
end
if #sids == 0 then return {} end
local defs = redis.call('HMGET', K_DEF, unpack(sids))
local metas = redis.call('HMGET', K_META, unpack(sids))
local out = {}
for i = 1, #sids do
  if defs[i] and metas[i] then
    local o = #out
    out[o + 1], out[o + 2], out[o + 3] = sids[i], defs[i], metas[i]
  end
end
return out
