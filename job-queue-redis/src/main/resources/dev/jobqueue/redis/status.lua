-- status: one job's record. Java side: StatusScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (key base, now, expiry slack; see the prelude); [4] hid.
-- Reply: the full snapshot fields (see full_snapshot() in the prelude), or nil when unknown or expired.
local jk = JOB .. ARGV[4]
if not live_state(jk, ARGV[4]) then return nil end
return full_snapshot(jk, ARGV[4])
