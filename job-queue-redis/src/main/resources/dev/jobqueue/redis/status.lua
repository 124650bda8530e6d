-- status. ARGV[4] = hid. Reply: the snapshot fields, or nil when unknown or expired.
local jk = JOB .. ARGV[4]
if not live_state(jk, ARGV[4]) then return nil end
return snapshot(jk, ARGV[4])
