-- throttle: holds back every claim of the queue until duration ms from now; a throttle never
-- shortens one already in force (the later end wins). Java side: ThrottleScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the throttle, a string holding the
--       end in ms, with a physical expiry (PX) at that end (plus the expiry slack), read by claim.lua.
-- ARGV: [1..3] the common head (see the prelude); [4] duration ms.
-- Reply: the end in ms (the later of the old and the new). A resend after a lost reply moves the
-- end by at most the resend's delay; it never shortens it.
local K_THROTTLE = KEYS[11]
local duration = tonumber(ARGV[4])
local wanted = NOW + duration
local current = tonumber(redis.call('GET', K_THROTTLE))
if current and current >= wanted then
  return current
end
redis.call('SET', K_THROTTLE, int(wanted), 'PX', int(duration + SLACK))
return wanted
