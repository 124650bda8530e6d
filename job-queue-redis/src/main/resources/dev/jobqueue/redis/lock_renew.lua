-- Leader lock compare-and-renew. KEYS[11] = lock key. ARGV[4] = owner, ARGV[5] = ttlMs.
-- Reply: 1 renewed, 0 not held by owner (taken over or expired).
local lock, owner, ttl = KEYS[11], ARGV[4], tonumber(ARGV[5])
local v = redis.call('GET', lock)
if not v then return 0 end
local sep = string.find(v, '|', 1, true)
if tonumber(string.sub(v, 1, sep - 1)) <= NOW or string.sub(v, sep + 1) ~= owner then return 0 end
redis.call('SET', lock, (NOW + ttl) .. '|' .. owner, 'PX', ttl + SLACK)
return 1
