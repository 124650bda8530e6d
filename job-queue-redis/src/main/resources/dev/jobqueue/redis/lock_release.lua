-- Leader lock compare-and-delete. KEYS[11] = lock key. ARGV[4] = owner. Reply: 1 released, 0 not held.
local lock, owner = KEYS[11], ARGV[4]
local v = redis.call('GET', lock)
if not v then return 0 end
local sep = string.find(v, '|', 1, true)
if tonumber(string.sub(v, 1, sep - 1)) <= NOW or string.sub(v, sep + 1) ~= owner then return 0 end
redis.call('DEL', lock)
return 1
