-- status. ARGV[4] = id. Reply: the snapshot fields, or nil when unknown or expired.
local id = ARGV[4]
local jk = job_key(id)
if not live_state(jk, id) then return nil end
return snapshot(jk)
