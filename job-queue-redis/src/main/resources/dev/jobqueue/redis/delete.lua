-- deleteJob / purge: any state but PROCESSING -> no record (payload, result, error, index entries
-- and the dedup entry, which is the record itself, are gone). A waiting job (QUEUED, DELAYED,
-- FAILING) that someone waits for (nt set) is published as CANCELLED on the terminal channel, so
-- its waiters end instead of waiting for nothing. Java side: OneOrOldestScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] nonce of the call (see once() in the
--       prelude); [5] hid (deleteJob) or '' (purge);
--       purge: [6] the state (not PROCESSING), [7] limit: the oldest jobs of that state in list
--       order (claim order, due time, expiry), at most limit of them (one call touches at most
--       limit jobs).
-- Reply: deleteJob: the DeleteResult name (DELETED, NOT_FOUND, PROCESSING); purge: the number of
--       jobs deleted.
local WAITING_INDEX = { DELAYED = K_DELAYED, FAILING = K_FAILING }

-- Removes the index entry of a job in state st (not PROCESSING); member is its ready-set member
-- for a QUEUED job.
local function unindex(hid, st, member)
  if st == 'QUEUED' then
    index_later('ZREM', K_READY, member)
  else
    index_later('ZREM', WAITING_INDEX[st] or TERMINAL_INDEX[st], hid)
  end
end

-- Deletes the record of a job in state st (not PROCESSING) and its index entry; notify: its nt
-- field (someone waits for it), or false.
local function delete_record(jk, hid, st, member, notify)
  unindex(hid, st, member)
  if notify and not TERMINAL_INDEX[st] then
    -- the snapshot a cancel would publish: CANCELLED, finished now, no expiry (the record is gone)
    local s = snapshot(jk, hid)
    s[1], s[8], s[10] = 'CANCELLED', false, NOW_S
    table.insert(s, 1, hid)
    redis.call('PUBLISH', CHANNEL, encode_fields(s))
  end
  redis.call('DEL', jk)
end

return once(function()
  if ARGV[5] ~= '' then
    local hid = ARGV[5]
    local jk = JOB .. hid
    local st = live_state(jk, hid)
    if not st then return 'NOT_FOUND' end
    if st == 'PROCESSING' then return 'PROCESSING' end
    local v = redis.call('HMGET', jk, 'm', 'nt')
    delete_record(jk, hid, st, string.sub(v[1], 1, 16) .. hid, v[2])
    flush_indexes()
    return 'DELETED'
  end

  local state, limit = ARGV[6], tonumber(ARGV[7])
  local members
  if state == 'QUEUED' then
    members = redis.call('ZRANGE', K_READY, 0, limit - 1)
  elseif WAITING_INDEX[state] then
    members = redis.call('ZRANGE', WAITING_INDEX[state], 0, limit - 1)
  else
    members = redis.call('ZRANGEBYSCORE', TERMINAL_INDEX[state], '(' .. NOW_S, '+inf', 'LIMIT', 0, limit)
  end
  local n = 0
  for _, member in ipairs(members) do
    local hid = member
    if state == 'QUEUED' then hid = string.sub(member, 17) end
    local jk = JOB .. hid
    local v = redis.call('HMGET', jk, 'st', 'nt')
    if v[1] == state then
      delete_record(jk, hid, state, member, v[2])
      n = n + 1
    else
      -- an index entry without its record (a terminal record expired before its entry was trimmed)
      unindex(hid, state, member)
    end
  end
  flush_indexes()
  return n
end)
