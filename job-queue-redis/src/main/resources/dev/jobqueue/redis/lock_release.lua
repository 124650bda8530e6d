-- Leader lock compare-and-delete. Java side: LockScript.release.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the lock's key.
-- ARGV: [1..3] the common head (see the prelude); [4] owner.
-- Reply: 1 released, 0 not held by owner.
local lock, owner = KEYS[11], ARGV[4]
local v = redis.call('GET', lock)
if not v then return 0 end
local sep = string.find(v, '|', 1, true)
if tonumber(string.sub(v, 1, sep - 1)) <= NOW or string.sub(v, sep + 1) ~= owner then return 0 end
redis.call('DEL', lock)
return 1
