-- listJobs: one page of a state's jobs with their full snapshots, keyset-paged. Java side:
-- ListJobsScript (which also encodes and checks the cursor).
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] state name; [5] 'O' oldest first or 'N'
--       newest first; [6] limit; [7] cursor score and [8] cursor member ('' and '' = first page).
-- Reply: {next score, next member (both false when no job follows), then per job: hid, then the
--       full snapshot fields (see full_snapshot() in the prelude)}.
-- Each state is one sorted set whose (score, member) order is the listing order: QUEUED the ready
-- set (score -priority, member sq .. hid: claim order), DELAYED/FAILING the due time, PROCESSING
-- the lease deadline, terminal states the expiry (entries at or before now are expired records,
-- skipped). The cursor is the (score, member) of the last job returned; the page continues
-- strictly after it (before it, newest first), whether or not that job is still there.
-- Cost: O(log N + limit) whatever N and however many jobs share a score: the cursor's rank is
-- ZRANK of its member when that is still in place, else the rank of a probe member
-- (member .. "\0", which sorts right after the member and is never a real member: members are
-- hex) added and removed again within this script. At most limit + 1 index entries and limit
-- records are read.
local state, order, limit = ARGV[4], ARGV[5], tonumber(ARGV[6])
local score, member = ARGV[7], ARGV[8]
local INDEX = { QUEUED = K_READY, DELAYED = K_DELAYED, FAILING = K_FAILING, PROCESSING = K_LEASES,
  COMPLETED = K_COMPLETED, FAILED = K_FAILED, CANCELLED = K_CANCELLED }
local key = INDEX[state]

-- Ranks [lo, hi) hold the live jobs: terminal entries at or before now are expired records.
local lo = 0
if TERMINAL_INDEX[state] then lo = redis.call('ZCOUNT', key, '-inf', NOW_S) end
local hi = redis.call('ZCARD', key)

-- The number of entries at or before the cursor, and whether the cursor's job is itself there.
local at_or_before, present
if member ~= '' then
  local current = redis.call('ZSCORE', key, member)
  if current and tonumber(current) == tonumber(score) then
    at_or_before, present = redis.call('ZRANK', key, member) + 1, true
  else
    local probe = member .. '\0'
    redis.call('ZADD', key, score, probe)
    at_or_before = redis.call('ZRANK', key, probe)
    redis.call('ZREM', key, probe)
    present = false
  end
end

-- The ranks of this page plus one more (it tells whether a job follows), in listing order.
local first, last, step
if order == 'O' then
  first = lo
  if at_or_before and at_or_before > first then first = at_or_before end
  last = math.min(hi - 1, first + limit)
  step = 1
else
  first = hi - 1
  if at_or_before then
    local before = at_or_before - (present and 1 or 0)
    if before - 1 < first then first = before - 1 end
  end
  last = math.max(lo, first - limit)
  step = -1
end
if (last - first) * step < 0 then return { false, false } end

local lower, upper = first, last
if step < 0 then lower, upper = last, first end
local entries = redis.call('ZRANGE', key, lower, upper, 'WITHSCORES')
local count = #entries / 2
local out = { false, false }
local taken = 0
for i = 0, count - 1 do
  local p = step > 0 and i or (count - 1 - i)
  local m, s = entries[2 * p + 1], entries[2 * p + 2]
  if taken == limit then
    -- one more job follows: the cursor is the last one returned
    break
  end
  local hid = m
  if state == 'QUEUED' then hid = string.sub(m, 17) end
  local snap = full_snapshot(JOB .. hid, hid, state == 'PROCESSING' and s or nil)
  if snap and snap[1] == state then
    out[#out + 1] = hid
    for f = 1, #snap do out[#out + 1] = snap[f] end
  end
  taken = taken + 1
  out[1], out[2] = s, m
end
if taken < limit or taken == count then
  -- the range held no job after the page's last one
  out[1], out[2] = false, false
end
return out
