package dev.jobqueue.postgres;

/**
 * Every statement the storage sends, built once per storage from its schema's names. Values are
 * always bound parameters; only the validated, quoted schema and table names are spliced in.
 * Each statement starts with {@code c.now}: the bound testing clock, or the database's
 * {@code clock_timestamp()} in epoch milliseconds. Wake-ups ({@code w<queue>}) and terminal
 * notices ({@code t<state><queue length>:<queue><id>}) are sent with {@code pg_notify} inside
 * the statement, so PostgreSQL delivers them at commit and drops duplicates within a transaction.
 */
final class Sql {
    static final String NOW = "coalesce(CAST(? AS bigint), floor(extract(epoch from clock_timestamp()) * 1000)::bigint)";
    private static final String C = "WITH c AS (SELECT " + NOW + " AS now)";
    /** The columns {@link Rows#snapshot} reads, in its order. */
    static final String SNAPSHOT_COLUMNS = "j.id, j.state, j.priority, j.created_at, j.due_at, j.attempts, j.max_attempts,"
            + " j.stalls, j.result, j.error, j.expires_at, j.worker_id, j.lease_until, j.payload, j.metadata,"
            + " j.started_at, j.finished_at, j.seq";
    /** Expired terminal records are gone for every reader, before the clean-up deletes them. */
    static final String VISIBLE = "(j.state < 4 OR j.expires_at > c.now)";
    private static final String WAKE = "SELECT pg_notify(?, ?) WHERE EXISTS (SELECT 1 FROM u)";
    /**
     * The enqueue's wake-up: inside a caller's transaction (third parameter true) it must be in
     * the transaction, delivered at commit; on the storage's own auto-commit connection it is sent
     * after the commit by {@link Waker} instead, because PostgreSQL serializes the commits of
     * notifying transactions (one database-wide lock held through the WAL flush).
     */
    private static final String WAKE_IN_CALLER_TX = "SELECT pg_notify(?, ?) WHERE ? AND EXISTS (SELECT 1 FROM u)";
    private static final String CURRENT = "cur AS (SELECT j.state, " + VISIBLE + " AS visible FROM %s j, c"
            + " WHERE j.qkey = %s(?) AND j.ikey = %s(?))";
    /**
     * A running job's row, tested so that no partial index can serve it: {@code j.state = 2} would
     * let the planner answer a lookup by id from the PROCESSING index (jobs_lease) by reading every
     * running job of the queue, which it does on a fresh, never analyzed table (it then believes a
     * queue holds a row or two). {@code + 0} keeps the test and leaves only the primary key, so
     * complete, fail, extend, retry, release and stall find their rows by key whatever the
     * statistics say.
     */
    private static final String RUNNING = "j.state + 0 = 2";
    /**
     * The rows of {@code i} (one per lease: its {@code id} and more) with their job's primary key
     * {@code (qkey, ikey)}, found one by one by key lookups. The LIMIT keeps the lookup a
     * subquery run per lease (a nested loop over the primary key), and MATERIALIZED keeps the
     * update from being planned into it: joined directly, the planner may hash-join the leases
     * with every row of the queue (or scan the table) when it has no statistics yet (~200 rows
     * read per completed job on a fresh table instead of a handful); joined to these few rows, the
     * update finds each by its key. Parameter: queue. Leases of jobs that do not exist are
     * dropped here; the update then tests state and token (and PostgreSQL re-tests them on the
     * newest row version when another transaction changed the row meanwhile).
     */
    private static final String BY_KEY = " m AS MATERIALIZED (SELECT x.qkey, x.ikey, i.* FROM i CROSS JOIN LATERAL"
            + " (SELECT y.qkey, y.ikey FROM %s y WHERE y.qkey = %s(?) AND y.ikey = %s(i.id) LIMIT 1) x)";
    /** Cleans at most this many expired terminal records per call (bounded work). */
    static final int CLEANUP_BATCH = 500;

    final String insert;
    final String replace;
    final String select;
    final String setNotify;
    final String promoteAndTake;
    final String idle;
    final String extend;
    final String finish;
    /** {@link #finish} with {@code synchronous_commit = off} for its own transaction (see {@code asynchronousCompletionCommit}). */
    final String finishAsync;
    final String retry;
    final String release;
    final String selectExpiredLeases;
    final String stall;
    final String cleanup;
    final String cancel;
    final String updateTtl;
    final String counts;
    final String retryJob;
    final String retryAll;
    final String deleteJob;
    final String promote;
    final String pause;
    final String resume;
    final String isPaused;
    final String acquireLock;
    final String renewLock;
    final String releaseLock;
    final String finishedTotals;
    final String queueNames;
    final String snooze;
    private final String jobs;
    /** The schema's key function ({@link Schema#key}): every lookup by id, queue or lock name goes through it. */
    private final String key;

    Sql(Schema s) {
        String j = s.jobs;
        this.jobs = j;
        this.key = s.key;
        String k = s.key;
        // adds the jobs of u (one queue) that became COMPLETED or FAILED to the session's counter row
        String count = "INSERT INTO " + s.counters + " AS ct (queue, shard, completed, failed)"
                + " SELECT min(u.queue), pg_backend_pid() % " + Schema.COUNTER_SHARDS + ","
                + " count(*) FILTER (WHERE u.state = 4), count(*) FILTER (WHERE u.state = 5) FROM u"
                + " HAVING count(*) FILTER (WHERE u.state IN (4, 5)) > 0"
                + " ON CONFLICT (qkey, shard) DO UPDATE SET completed = ct.completed + excluded.completed,"
                + " failed = ct.failed + excluded.failed";
        String nextval = "nextval('" + s.sequence + "')";
        String notPaused = "NOT EXISTS (SELECT 1 FROM " + s.queues + " q WHERE q.qkey = " + k + "(?) AND q.paused)";
        String current = String.format(CURRENT, j, k, k);
        // Every job of the batch reserves its place in the FIFO in batch order (volatile functions
        // of a select list run after its ORDER BY), also the ones that conflict: a job that then
        // replaces a cancelled record keeps the place the batch gave it.
        insert = C + ", i AS (SELECT t.*, coalesce(t.run_at, c.now + t.delay_ms) AS due, " + nextval + " AS seq FROM c,"
                + " unnest(CAST(? AS text[]), CAST(? AS bytea[]), CAST(? AS integer[]), CAST(? AS bigint[]),"
                + " CAST(? AS bigint[]), CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS bigint[]),"
                + " CAST(? AS boolean[]), CAST(? AS bytea[])) WITH ORDINALITY"
                + " AS t(id, payload, priority, run_at, delay_ms, max_attempts, max_stalls, result_ttl, notify, metadata, ord)"
                + " ORDER BY t.ord),"
                + " u AS (INSERT INTO " + j + " (queue, id, seq, state, priority, payload, metadata, created_at, due_at,"
                + " ready_at, max_attempts, max_stalls, result_ttl, notify)"
                + " SELECT ?, i.id, i.seq, CASE WHEN i.due <= c.now THEN 0 ELSE 1 END, i.priority, i.payload,"
                + " i.metadata, c.now, CASE WHEN i.due <= c.now THEN NULL ELSE i.due END,"
                + " CASE WHEN i.due <= c.now THEN c.now END, i.max_attempts, i.max_stalls, i.result_ttl, i.notify"
                + " FROM i, c ON CONFLICT (qkey, ikey) DO NOTHING RETURNING id),"
                + " n AS (" + WAKE_IN_CALLER_TX + ")"
                + " SELECT i.id, i.seq, i.id IN (SELECT u.id FROM u), (SELECT count(*) FROM n) FROM i ORDER BY i.ord";
        // A cancelled or expired record under the id is replaced by the new job (same row, so the
        // fencing token keeps growing).
        replace = C + ", d AS (SELECT coalesce(CAST(? AS bigint), c.now + CAST(? AS bigint)) AS due FROM c),"
                + " u AS (UPDATE " + j + " j SET seq = coalesce(CAST(? AS bigint), " + nextval + "),"
                + " state = CASE WHEN d.due <= c.now THEN 0 ELSE 1 END,"
                + " priority = ?, payload = ?, metadata = CAST(? AS bytea), created_at = c.now,"
                + " due_at = CASE WHEN d.due <= c.now THEN NULL ELSE d.due END,"
                + " ready_at = CASE WHEN d.due <= c.now THEN c.now END, attempts = 0, max_attempts = ?, stalls = 0,"
                + " max_stalls = ?, result_ttl = ?, notify = ?, result = NULL, error = NULL, expires_at = NULL,"
                + " started_at = NULL, finished_at = NULL, worker_id = NULL, lease_until = NULL"
                + " FROM c, d WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?) AND (j.state = 6 OR (j.state >= 4 AND j.expires_at <= c.now))"
                + " RETURNING 1),"
                + " n AS (" + WAKE_IN_CALLER_TX + ")"
                + " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM n)";
        select = C + " SELECT " + SNAPSHOT_COLUMNS + ", j.notify FROM " + j + " j, c WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?) AND " + VISIBLE;
        setNotify = "UPDATE " + j + " SET notify = true WHERE qkey = " + k + "(?) AND ikey = " + k + "(?) AND NOT notify";
        promoteAndTake = C + " UPDATE " + j + " j SET state = 0, ready_at = j.due_at, due_at = NULL, error = NULL"
                + " FROM (SELECT x.qkey, x.ikey FROM " + j + " x, c WHERE x.qkey = " + k + "(?) AND x.state IN (1, 3)"
                + " AND x.due_at <= c.now AND " + notPaused + " LIMIT 1000 FOR UPDATE OF x SKIP LOCKED) d"
                + " WHERE j.qkey = d.qkey AND j.ikey = d.ikey;\n"
                + C + ", p AS (SELECT x.qkey, x.ikey FROM " + j + " x WHERE x.qkey = " + k + "(?) AND x.state = 0 AND " + notPaused
                + " AND " + FlowControl.guard(s)
                + " ORDER BY x.priority DESC, x.seq LIMIT ? FOR UPDATE OF x SKIP LOCKED)"
                + " UPDATE " + j + " j SET state = 2, attempts = j.attempts + 1, token = " + nextval + ", worker_id = ?,"
                + " lease_until = c.now + ?, started_at = c.now FROM p, c WHERE j.qkey = p.qkey AND j.ikey = p.ikey"
                + " RETURNING j.id, j.payload, j.attempts, j.max_attempts, j.created_at, j.token, j.lease_until,"
                + " j.metadata, j.ready_at, c.now, j.priority, j.seq";
        cleanup = "DELETE FROM " + j + " j USING (SELECT x.qkey, x.ikey FROM " + j + " x, c WHERE x.qkey = " + k + "(?)"
                + " AND x.state >= 4 AND x.expires_at <= c.now LIMIT " + CLEANUP_BATCH + " FOR UPDATE OF x SKIP LOCKED) e"
                + " WHERE j.qkey = e.qkey AND j.ikey = e.ikey";
        idle = C + ", del AS (" + cleanup + " RETURNING 1)"
                + " SELECT c.now, LEAST((SELECT min(x.due_at) FROM " + j + " x WHERE x.qkey = " + k + "(?) AND x.state = 1),"
                + " (SELECT min(x.due_at) FROM " + j + " x WHERE x.qkey = " + k + "(?) AND x.state = 3)),"
                + " " + notPaused + ", (SELECT count(*) FROM del), " + FlowControl.idleColumns(s) + " FROM c";
        extend = C + ", i AS (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[])) AS t(id, token)),"
                + String.format(BY_KEY, j, k, k)
                + " UPDATE " + j + " j SET lease_until = c.now + ? FROM m, c"
                + " WHERE j.qkey = m.qkey AND j.ikey = m.ikey AND " + RUNNING + " AND j.token = m.token RETURNING j.id, j.token";
        finish = C + ", i AS (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bytea[]),"
                + " CAST(? AS bytea[]), CAST(? AS bigint[])) AS t(id, token, result, error, ttl)),"
                + String.format(BY_KEY, j, k, k) + ","
                + " u AS (UPDATE " + j + " j SET state = ?, result = m.result, error = m.error, worker_id = NULL,"
                + " lease_until = NULL, expires_at = c.now + coalesce(m.ttl, j.result_ttl), finished_at = c.now"
                + " FROM m, c WHERE j.qkey = m.qkey AND j.ikey = m.ikey AND " + RUNNING + " AND j.token = m.token"
                + " RETURNING j.id, j.token, j.notify, j.state, j.queue),"
                + " n AS (SELECT pg_notify(?, 't' || u.state || ? || u.id) FROM u WHERE u.notify),"
                + " tot AS (" + count + ")"
                + " SELECT u.id, u.token, (SELECT count(*) FROM n) FROM u";
        // the same, committed without waiting for the WAL flush (opt-in, own transactions only)
        finishAsync = finish.substring(0, finish.length() - " SELECT u.id, u.token, (SELECT count(*) FROM n) FROM u".length())
                + ", sc AS (SELECT set_config('synchronous_commit', 'off', true) AS v)"
                + " SELECT u.id, u.token, (SELECT count(*) FROM n), (SELECT count(*) FROM sc) FROM u";
        retry = C + ", u AS (UPDATE " + j + " j SET state = 3, due_at = c.now + ?, error = ?, worker_id = NULL,"
                + " lease_until = NULL FROM c WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?) AND " + RUNNING + " AND j.token = ? RETURNING 1),"
                + " n AS (" + WAKE + ") SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM n)";
        release = C + ", u AS (UPDATE " + j + " j SET state = 0, ready_at = c.now, attempts = j.attempts - ?,"
                + " worker_id = NULL, lease_until = NULL FROM c"
                + " WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?) AND " + RUNNING + " AND j.token = ? RETURNING 1),"
                + " n AS (" + WAKE + ") SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM n)";
        selectExpiredLeases = C + " SELECT x.id, x.worker_id, x.stalls, x.max_stalls, x.attempts, c.now FROM " + j + " x, c"
                + " WHERE x.qkey = " + k + "(?) AND x.state = 2 AND x.lease_until <= c.now ORDER BY x.lease_until, x.seq LIMIT ?"
                + " FOR UPDATE OF x SKIP LOCKED";
        stall = C + ", i AS (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS boolean[]), CAST(? AS bytea[]))"
                + " AS t(id, fail, error)),"
                + String.format(BY_KEY, j, k, k) + ","
                + " u AS (UPDATE " + j + " j SET stalls = j.stalls + 1, worker_id = NULL, lease_until = NULL,"
                + " state = CASE WHEN m.fail THEN 5 ELSE 0 END, error = CASE WHEN m.fail THEN m.error ELSE j.error END,"
                + " ready_at = CASE WHEN m.fail THEN j.ready_at ELSE c.now END,"
                + " expires_at = CASE WHEN m.fail THEN c.now + j.result_ttl END,"
                + " finished_at = CASE WHEN m.fail THEN c.now END"
                + " FROM m, c WHERE j.qkey = m.qkey AND j.ikey = m.ikey AND " + RUNNING
                + " RETURNING j.id, j.state, j.notify, j.queue),"
                + " tot AS (" + count + "),"
                + " t AS (SELECT pg_notify(?, 't' || u.state || ? || u.id) FROM u WHERE u.notify AND u.state = 5),"
                + " w AS (SELECT pg_notify(?, ?) WHERE EXISTS (SELECT 1 FROM u WHERE u.state = 0))"
                + " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM t), (SELECT count(*) FROM w)";
        // A waiting or running job; o locks the row and reads its newest state (a running job's lease
        // ends: state 6 takes it out of the lease index and fences its token). A running job's
        // terminal notice is always sent (its worker listens to interrupt the handler): in the
        // statement inside a caller's transaction (last parameter true), else after the commit.
        // Parameters: now, queue, id (cur), queue, id (o), channel, notice prefix, in caller tx.
        cancel = C + ", " + current + ","
                + " o AS (SELECT x.qkey, x.ikey, x.state FROM " + j + " x WHERE x.qkey = " + k + "(?) AND x.ikey = " + k + "(?)"
                + " AND x.state IN (0, 1, 2, 3) FOR UPDATE OF x),"
                + " u AS (UPDATE " + j + " j SET state = 6, error = NULL, due_at = NULL, worker_id = NULL, lease_until = NULL,"
                + " expires_at = c.now + j.result_ttl, finished_at = c.now FROM c, o WHERE j.qkey = o.qkey AND j.ikey = o.ikey"
                + " RETURNING j.id, j.notify, o.state AS was),"
                + " n AS (SELECT pg_notify(?, 't6' || ? || u.id) FROM u WHERE CASE WHEN u.was = 2 THEN ? ELSE u.notify END)"
                + " SELECT (SELECT count(*) FROM u), (SELECT state FROM cur), (SELECT visible FROM cur), (SELECT count(*) FROM n),"
                + " (SELECT was FROM u)";
        updateTtl = C + ", " + current + ","
                + " u AS (UPDATE " + j + " j SET expires_at = c.now + ? FROM c WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?)"
                + " AND j.state IN (4, 5) AND j.expires_at > c.now RETURNING 1)"
                + " SELECT (SELECT count(*) FROM u), (SELECT state FROM cur), (SELECT visible FROM cur)";
        counts = C + " SELECT j.state, count(*) FROM " + j + " j, c WHERE j.qkey = " + k + "(?) AND " + VISIBLE + " GROUP BY j.state";
        String requeued = "state = 0, attempts = 0, stalls = 0, error = NULL, result = NULL, expires_at = NULL,"
                + " finished_at = NULL, started_at = NULL, ready_at = c.now, due_at = NULL, worker_id = NULL,"
                + " lease_until = NULL";
        retryJob = C + ", " + current + ","
                + " u AS (UPDATE " + j + " j SET seq = " + nextval + ", " + requeued + " FROM c"
                + " WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?) AND j.state IN (5, 6) AND j.expires_at > c.now RETURNING 1),"
                + " n AS (" + WAKE + ")"
                + " SELECT (SELECT count(*) FROM u), (SELECT state FROM cur), (SELECT visible FROM cur), (SELECT count(*) FROM n)";
        retryAll = C + ", p AS (SELECT x.qkey, x.ikey FROM " + j + " x, c WHERE x.qkey = " + k + "(?) AND x.state = ?"
                + " AND x.expires_at > c.now ORDER BY x.expires_at, x.seq LIMIT ? FOR UPDATE OF x SKIP LOCKED),"
                + " s AS (SELECT p.qkey, p.ikey, " + nextval + " AS seq FROM p),"
                + " u AS (UPDATE " + j + " j SET seq = s.seq, " + requeued + " FROM s, c"
                + " WHERE j.qkey = s.qkey AND j.ikey = s.ikey RETURNING 1),"
                + " n AS (" + WAKE + ") SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM n)";
        deleteJob = C + ", " + current + ","
                + " d AS (DELETE FROM " + j + " j USING c WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?) AND j.state <> 2"
                + " RETURNING j.id, j.state, j.notify, " + VISIBLE + " AS visible),"
                + " n AS (SELECT pg_notify(?, 't6' || ? || d.id) FROM d WHERE d.notify AND d.state IN (0, 1, 3))"
                + " SELECT (SELECT visible FROM d), (SELECT state FROM cur), (SELECT count(*) FROM n)";
        promote = C + ", " + current + ","
                + " u AS (UPDATE " + j + " j SET state = 0, seq = " + nextval + ", ready_at = c.now, due_at = NULL,"
                + " error = NULL FROM c WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?) AND j.state IN (1, 3) RETURNING 1),"
                + " n AS (" + WAKE + ")"
                + " SELECT (SELECT count(*) FROM u), (SELECT state FROM cur), (SELECT visible FROM cur), (SELECT count(*) FROM n)";
        pause = "INSERT INTO " + s.queues + " AS q (queue, paused) VALUES (?, true)"
                + " ON CONFLICT (qkey) DO UPDATE SET paused = true WHERE NOT q.paused RETURNING 1";
        resume = "WITH u AS (UPDATE " + s.queues + " SET paused = false WHERE qkey = " + k + "(?) AND paused RETURNING 1),"
                + " n AS (" + WAKE + ") SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM n)";
        isPaused = "SELECT EXISTS (SELECT 1 FROM " + s.queues + " WHERE qkey = " + k + "(?) AND paused)";
        acquireLock = C + " INSERT INTO " + s.locks + " AS l (queue, name, owner, expires_at) SELECT ?, ?, ?, c.now + ? FROM c"
                + " ON CONFLICT (qkey, nkey) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at"
                + " WHERE l.expires_at <= excluded.expires_at - ? RETURNING 1";
        renewLock = C + " UPDATE " + s.locks + " l SET expires_at = c.now + ? FROM c"
                + " WHERE l.qkey = " + k + "(?) AND l.nkey = " + k + "(?) AND l.owner = ? AND l.expires_at > c.now RETURNING 1";
        finishedTotals = "SELECT coalesce(sum(completed), 0), coalesce(sum(failed), 0) FROM " + s.counters
                + " WHERE qkey = " + k + "(?)";
        // Distinct queues by a skip scan of the primary key (one index probe per queue), each kept
        // when it has a live record (one probe of each state's partial index), plus paused queues.
        // Parameter: now.
        queueNames = "WITH RECURSIVE c AS (SELECT " + NOW + " AS now),"
                + " q AS ((SELECT x.qkey, x.queue FROM " + j + " x ORDER BY x.qkey LIMIT 1)"
                + " UNION ALL SELECT n.qkey, n.queue FROM q, LATERAL (SELECT x.qkey, x.queue FROM " + j + " x"
                + " WHERE x.qkey > q.qkey ORDER BY x.qkey LIMIT 1) n)"
                + " SELECT q.queue FROM q, c WHERE EXISTS (SELECT 1 FROM " + j + " x WHERE x.qkey = q.qkey AND x.state = 0)"
                + " OR EXISTS (SELECT 1 FROM " + j + " x WHERE x.qkey = q.qkey AND x.state IN (1, 3))"
                + " OR EXISTS (SELECT 1 FROM " + j + " x WHERE x.qkey = q.qkey AND x.state = 2)"
                + " OR EXISTS (SELECT 1 FROM " + j + " x WHERE x.qkey = q.qkey AND x.state >= 4 AND x.expires_at > c.now)"
                + " UNION SELECT queue FROM " + s.queues + " WHERE paused";
        // PROCESSING -> DELAYED, due after the delay, the claim's attempt taken back; error, stalls
        // and FIFO place (seq) unchanged. Parameters: now, delay, queue, id, token, channel, notice,
        // in caller tx (wake-up in the statement; else the Waker sends it after the commit).
        snooze = C + ", u AS (UPDATE " + j + " j SET state = 1, due_at = c.now + ?, ready_at = NULL,"
                + " attempts = j.attempts - 1, worker_id = NULL, lease_until = NULL FROM c"
                + " WHERE j.qkey = " + k + "(?) AND j.ikey = " + k + "(?) AND " + RUNNING + " AND j.token = ? RETURNING 1),"
                + " n AS (" + WAKE_IN_CALLER_TX + ") SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM n)";
        releaseLock = C + ", d AS (DELETE FROM " + s.locks + " l USING c WHERE l.qkey = " + k + "(?) AND l.nkey = " + k + "(?)"
                + " AND (l.owner = ? OR l.expires_at <= c.now) RETURNING (l.owner = ? AND l.expires_at > c.now) AS mine)"
                + " SELECT coalesce(bool_or(mine), false) FROM d";
    }

    /**
     * One page of a state's jobs in its list order (see {@link ListCursor}), after the cursor's
     * key when {@code afterKey}; {@code columns} are selected. Parameters: now, queue, state,
     * [k1, k1, k2 for QUEUED | k1, k2 otherwise], limit.
     */
    String page(ListCursor.Key order, boolean newestFirst, boolean afterKey, String columns) {
        String t = order.timeColumn();
        StringBuilder b = new StringBuilder(C).append(" SELECT ").append(columns).append(" FROM ").append(jobs)
                .append(" j, c WHERE j.qkey = ").append(key).append("(?) AND j.state = ?");
        if (order.terminal()) {
            b.append(" AND j.expires_at > c.now");
        }
        if (t == null) { // QUEUED: priority desc, then seq
            if (afterKey) {
                b.append(newestFirst ? " AND (j.priority > ? OR (j.priority = ? AND j.seq < ?))"
                        : " AND (j.priority < ? OR (j.priority = ? AND j.seq > ?))");
            }
            b.append(newestFirst ? " ORDER BY j.priority, j.seq DESC" : " ORDER BY j.priority DESC, j.seq");
        } else {
            if (afterKey) {
                b.append(" AND (j.").append(t).append(", j.seq) ").append(newestFirst ? "<" : ">").append(" (?, ?)");
            }
            b.append(" ORDER BY j.").append(t).append(newestFirst ? " DESC, j.seq DESC" : ", j.seq");
        }
        return b.append(" LIMIT ?").toString();
    }

    /** Deletes up to a limit of one state's jobs, oldest first. Parameters: now, queue, state, limit, channel, notice prefix. */
    String purge(ListCursor.Key state) {
        String order = state.timeColumn() == null ? "x.priority DESC, x.seq" : "x." + state.timeColumn() + ", x.seq";
        return C + ", p AS (SELECT x.qkey, x.ikey FROM " + jobs + " x, c WHERE x.qkey = " + key + "(?) AND x.state = ?"
                + (state.terminal() ? " AND x.expires_at > c.now" : "")
                + " ORDER BY " + order + " LIMIT ? FOR UPDATE OF x SKIP LOCKED),"
                + " d AS (DELETE FROM " + jobs + " j USING p WHERE j.qkey = p.qkey AND j.ikey = p.ikey AND j.state <> 2"
                + " RETURNING j.id, j.state, j.notify),"
                + " n AS (SELECT pg_notify(?, 't6' || ? || d.id) FROM d WHERE d.notify AND d.state IN (0, 1, 3))"
                + " SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM n)";
    }
}
