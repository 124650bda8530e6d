-- Leader lock acquire: SET NX PX, except that a lock whose (logical) deadline passed is free too.
-- Java side: LockScript.acquire.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the lock's key.
-- ARGV: [1..3] the common head (see the prelude); [4] owner; [5] ttl ms.
-- Reply: 1 acquired, 0 held (by anyone, as in every storage). The value is "<deadline>|<owner>".
local lock, owner, ttl = KEYS[11], ARGV[4], tonumber(ARGV[5])
local v = redis.call('GET', lock)
if v then
  local sep = string.find(v, '|', 1, true)
  local deadline = tonumber(string.sub(v, 1, sep - 1))
  if deadline > NOW then return 0 end
end
redis.call('SET', lock, (NOW + ttl) .. '|' .. owner, 'PX', ttl + SLACK)
return 1
