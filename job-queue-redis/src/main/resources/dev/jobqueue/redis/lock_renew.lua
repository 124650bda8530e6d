-- Leader lock compare-and-renew. Java side: LockScript.renew.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the lock's key.
-- ARGV: [1..3] the common head (see the prelude); [4] owner; [5] ttl ms.
-- Reply: 1 renewed, 0 not held by owner (taken over or expired).
local lock, owner, ttl = KEYS[11], ARGV[4], tonumber(ARGV[5])
local v = redis.call('GET', lock)
if not v then return 0 end
local sep = string.find(v, '|', 1, true)
if tonumber(string.sub(v, 1, sep - 1)) <= NOW or string.sub(v, sep + 1) ~= owner then return 0 end
redis.call('SET', lock, (NOW + ttl) .. '|' .. owner, 'PX', ttl + SLACK)
return 1
