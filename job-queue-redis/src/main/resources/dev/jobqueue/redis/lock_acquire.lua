-- Leader lock acquire: SET NX PX, except that a lock whose (logical) deadline passed is free too.
-- KEYS[11] = lock key. ARGV[4] = owner, ARGV[5] = ttlMs.
-- The value is "<deadline>|<owner>". Reply: 1 acquired, 0 held (by anyone,
-- as in every storage).
local lock, owner, ttl = KEYS[11], ARGV[4], tonumber(ARGV[5])
local v = redis.call('GET', lock)
if v then
  local sep = string.find(v, '|', 1, true)
  local deadline = tonumber(string.sub(v, 1, sep - 1))
  if deadline > NOW then return 0 end
end
redis.call('SET', lock, (NOW + ttl) .. '|' .. owner, 'PX', ttl + SLACK)
return 1
