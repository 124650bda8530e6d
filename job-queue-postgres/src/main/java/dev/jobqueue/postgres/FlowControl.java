package dev.jobqueue.postgres;

import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.ClaimedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Flow control of the PostgreSQL storage: queue limits ({@code maxRunning}, a sliding-window rate
 * limit) and throttles, kept in one row per queue of the limits table, and the claims of a queue
 * that has limits.
 *
 * <p><b>Two claim paths.</b> A queue without limits is claimed as before, in one round trip; its
 * take statement only adds a probe of the limits table's primary key (the guard: it takes nothing
 * when the queue has limits or a throttle in force). A queue with limits is claimed in a
 * transaction that first locks the queue's limits row ({@code FOR UPDATE}), so that the claims of
 * every process and host on that queue are serialized, and then, in a new statement (READ
 * COMMITTED: a snapshot taken after the lock, which sees every earlier claim committed), counts
 * the queue's PROCESSING jobs and the claims of the rate window, takes at most what both limits
 * allow and logs the claim in the rate log, before it commits. Which path a process tries first
 * is a local hint ({@link #limited}): the guard sends a queue that got limits elsewhere to the
 * locked path (the idle check that follows an empty claim reports it), and the locked path sends
 * a queue whose limits were removed back.
 *
 * <p><b>Rate window.</b> Each claim of a rate-limited queue logs (time, jobs taken) at its
 * {@code claimedAt}; a claim counts every logged job after {@code now - ratePeriod}, so no window
 * of {@code ratePeriod} holds more than {@code rateLimit} claimed jobs, and deletes the rows that
 * fell out of the window (the log holds at most {@code rateLimit} rows per queue).
 *
 * <p><b>Held claims.</b> A claim a limit or a throttle holds back waits within its {@code maxWait}
 * and looks again at most {@value #HELD_RECHECK_MILLIS} ms later (sooner when the rate window
 * frees a slot or the throttle ends sooner): a job finishing elsewhere sends no wake-up, and a
 * storage on a testing clock cannot know when that clock moves.
 */
final class FlowControl {
    /** The longest a claim held back by a limit sleeps before it looks again. */
    static final long HELD_RECHECK_MILLIS = 250;
    /** How often an empty claim that does not wait asks whether its queue got limits elsewhere. */
    private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Takes up to {@code max} jobs on {@code c}; {@code limited}: the caller holds the limits row. */
    @FunctionalInterface
    interface Taker {
        List<ClaimedJob> take(Connection c, int max, boolean limited) throws SQLException;
    }

    /**
     * What a claim took, and when it was held back by a limit, how long it may sleep.
     *
     * @param jobs the claimed jobs
     * @param heldNanos how long to sleep before looking again when a limit held the claim back; -1 when none did
     */
    record Claim(List<ClaimedJob> jobs, long heldNanos) {
        static Claim free(List<ClaimedJob> jobs) {
            return new Claim(jobs, -1);
        }
    }

    private final Database db;
    /** Locks the queue's limits row when it has limits (statement 1 of the locked path). */
    private final String lock;
    /** Reads the limits, the PROCESSING count and the rate window after the lock (statement 2). */
    private final String counts;
    private final String logClaim;
    private final String setLimits;
    private final String getLimits;
    private final String throttle;
    private final String probe;
    /** The local hint per encoded queue: whether the queue was seen with limits. */
    private final ConcurrentHashMap<String, Boolean> limitedQueues = new ConcurrentHashMap<>();
    /** When each queue was last probed by {@link #limitsSetElsewhere} ({@link System#nanoTime}). */
    private final ConcurrentHashMap<String, Long> probedAt = new ConcurrentHashMap<>();

    FlowControl(Schema s, Database db) {
        this.db = db;
        String k = s.key;
        String c = "WITH c AS (SELECT " + Sql.NOW + " AS now)";
        lock = "SELECT 1 FROM " + s.limits + " l WHERE l.qkey = " + k + "(?) AND (l.max_running > 0 OR l.rate_limit > 0)"
                + " FOR UPDATE";
        counts = c + ", l AS (SELECT * FROM " + s.limits + " WHERE qkey = " + k + "(?))"
                + " SELECT c.now, l.max_running, l.rate_limit, l.rate_period_ms, l.throttled_until,"
                + " CASE WHEN l.max_running > 0 THEN (SELECT count(*) FROM " + s.jobs + " x"
                + " WHERE x.qkey = " + k + "(?) AND x.state = 2) END,"
                + " CASE WHEN l.rate_limit > 0 THEN (SELECT coalesce(sum(r.n), 0) FROM " + s.rateLog + " r"
                + " WHERE r.qkey = " + k + "(?) AND r.claimed_at > c.now - l.rate_period_ms) END,"
                + " CASE WHEN l.rate_limit > 0 THEN (SELECT min(r.claimed_at) FROM " + s.rateLog + " r"
                + " WHERE r.qkey = " + k + "(?) AND r.claimed_at > c.now - l.rate_period_ms) END"
                + " FROM c LEFT JOIN l ON true";
        logClaim = "WITH d AS (DELETE FROM " + s.rateLog + " WHERE qkey = " + k + "(?) AND claimed_at <= ?)"
                + " INSERT INTO " + s.rateLog + " (qkey, claimed_at, n) VALUES (" + k + "(?), ?, ?)";
        setLimits = "WITH u AS (INSERT INTO " + s.limits + " AS l (queue, max_running, rate_limit, rate_period_ms)"
                + " VALUES (?, ?, ?, CAST(? AS bigint)) ON CONFLICT (qkey) DO UPDATE SET max_running = excluded.max_running,"
                + " rate_limit = excluded.rate_limit, rate_period_ms = excluded.rate_period_ms RETURNING 1),"
                + " d AS (DELETE FROM " + s.rateLog + " WHERE qkey = " + k + "(?) AND ? = 0 RETURNING 1)"
                + " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM d)";
        probe = "SELECT EXISTS (SELECT 1 FROM " + s.limits + " l WHERE l.qkey = " + k + "(?)"
                + " AND (l.max_running > 0 OR l.rate_limit > 0))";
        getLimits = "SELECT max_running, rate_limit, rate_period_ms FROM " + s.limits + " WHERE qkey = " + k + "(?)";
        throttle = c + " INSERT INTO " + s.limits + " AS l (queue, throttled_until) SELECT ?, c.now + ? FROM c"
                + " ON CONFLICT (qkey) DO UPDATE SET throttled_until = greatest(l.throttled_until, excluded.throttled_until)"
                + " RETURNING l.throttled_until";
    }

    /**
     * The guard the take statement of the unlimited path adds to its job selection: true when the
     * queue has no limits and no throttle in force. Parameters: limited (true: the caller holds the
     * limits row, skip the guard), queue. Needs {@code c.now} in scope.
     */
    static String guard(Schema s) {
        return "(CAST(? AS boolean) OR NOT EXISTS (SELECT 1 FROM " + s.limits + " l WHERE l.qkey = " + s.key + "(?)"
                + " AND (l.max_running > 0 OR l.rate_limit > 0 OR l.throttled_until > (SELECT now FROM c))))";
    }

    /**
     * The idle check's two columns: whether the queue has limits, and the end of a throttle in
     * force (null when none). Parameters: queue, queue. Needs {@code c.now} in scope.
     */
    static String idleColumns(Schema s) {
        return "(SELECT l.max_running > 0 OR l.rate_limit > 0 FROM " + s.limits + " l WHERE l.qkey = " + s.key + "(?)),"
                + " (SELECT l.throttled_until FROM " + s.limits + " l WHERE l.qkey = " + s.key + "(?) AND l.throttled_until > c.now)";
    }

    /** Whether claims of {@code encodedQueue} should take the locked path (a hint; the SQL decides). */
    boolean limited(String encodedQueue) {
        return limitedQueues.getOrDefault(encodedQueue, false);
    }

    /**
     * After an empty claim: the idle check found the queue with limits ({@code limited}).
     *
     * @return true when that is news (the claim should look again at once, on the locked path)
     */
    boolean noteLimits(String encodedQueue, boolean limited) {
        if (!limited) {
            return false;
        }
        return !Boolean.TRUE.equals(limitedQueues.put(encodedQueue, true));
    }

    /**
     * After an empty claim that does not wait (so no idle check follows) on the unlimited path:
     * whether the queue has limits after all (set by another process), asked at most once a
     * second per queue, so that a caller that never waits still reaches the locked path.
     *
     * @return true when the queue has limits: the claim should look again at once
     */
    boolean limitsSetElsewhere(String encodedQueue) {
        long now = System.nanoTime();
        Long last = probedAt.get(encodedQueue);
        if (last != null && now - last < PROBE_NANOS) {
            return false;
        }
        probedAt.put(encodedQueue, now);
        boolean limited = db.pooled("claim", c -> {
            try (PreparedStatement ps = c.prepareStatement(probe)) {
                Params.bind(ps, encodedQueue);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
        return noteLimits(encodedQueue, limited);
    }

    /** The claim of a queue that was seen with limits: one transaction under its limits row lock. */
    Claim claimLimited(Connection c, String q, int max, Taker taker) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        boolean done = false;
        try {
            Claim claim = claimLocked(c, q, max, taker);
            c.commit();
            done = true;
            return claim;
        } finally {
            if (done) {
                c.setAutoCommit(autoCommit);
            } else {
                try {
                    c.rollback();
                    c.setAutoCommit(autoCommit);
                } catch (SQLException ignored) {
                    // the connection is broken: the pool drops it; the first error is the one to report
                }
            }
        }
    }

    private Claim claimLocked(Connection c, String q, int max, Taker taker) throws SQLException {
        Long now = db.now();
        long at;
        int maxRunning;
        int rateLimit;
        long ratePeriod;
        long throttledUntil;
        long running;
        long inWindow;
        long oldestInWindow;
        try (PreparedStatement ps = c.prepareStatement(lock + ";\n" + counts)) {
            Params.bind(ps, q, now, q, q, q, q);
            boolean isResult = ps.execute();
            boolean locked;
            try (ResultSet rs = ps.getResultSet()) {
                locked = isResult && rs.next();
            }
            if (!locked) { // the limits were removed: the unlimited path, guarded as usual
                limitedQueues.put(q, false);
                return Claim.free(taker.take(c, max, false));
            }
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                at = rs.getLong(1);
                maxRunning = rs.getInt(2);
                rateLimit = rs.getInt(3);
                ratePeriod = rs.getLong(4);
                throttledUntil = rs.getLong(5);
                running = rs.getLong(6);
                inWindow = rs.getLong(7);
                oldestInWindow = rs.getLong(8);
            }
        }
        if (throttledUntil > at) {
            return new Claim(List.of(), TimeUnit.MILLISECONDS.toNanos(Math.min(HELD_RECHECK_MILLIS, throttledUntil - at)));
        }
        long allowed = max;
        long recheck = HELD_RECHECK_MILLIS;
        if (maxRunning > 0) {
            allowed = Math.min(allowed, maxRunning - running);
        }
        if (rateLimit > 0) {
            allowed = Math.min(allowed, rateLimit - inWindow);
            if (inWindow >= rateLimit) {
                recheck = Math.max(1, Math.min(recheck, oldestInWindow + ratePeriod - at));
            }
        }
        if (allowed <= 0) {
            return new Claim(List.of(), TimeUnit.MILLISECONDS.toNanos(recheck));
        }
        List<ClaimedJob> jobs = taker.take(c, (int) allowed, true);
        if (rateLimit > 0 && !jobs.isEmpty()) {
            long claimedAt = jobs.get(0).claimedAt().toEpochMilli();
            try (PreparedStatement ps = c.prepareStatement(logClaim)) {
                Params.bind(ps, q, claimedAt - ratePeriod, q, claimedAt, jobs.size());
                ps.executeUpdate();
            }
        }
        return Claim.free(jobs);
    }

    void setLimits(String queue, QueueLimits limits) {
        String q = Text.encode(queue);
        Long period = limits.ratePeriod() == null ? null : Math.max(1, Params.millis(limits.ratePeriod()));
        db.single("setLimits", c -> {
            try (PreparedStatement ps = c.prepareStatement(setLimits)) {
                Params.bind(ps, q, limits.maxRunning(), limits.rateLimit(), period, q, limits.rateLimit());
                ps.executeQuery().close();
            }
            return null;
        });
        limitedQueues.put(q, !limits.isUnlimited());
    }

    QueueLimits limits(String queue) {
        return db.read("limits", c -> {
            try (PreparedStatement ps = c.prepareStatement(getLimits)) {
                Params.bind(ps, Text.encode(queue));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || (rs.getInt(1) == 0 && rs.getInt(2) == 0)) {
                        return QueueLimits.NONE;
                    }
                    int rate = rs.getInt(2);
                    return new QueueLimits(rs.getInt(1), rate, rate == 0 ? null : Duration.ofMillis(rs.getLong(3)));
                }
            }
        });
    }

    Instant throttle(String queue, Duration duration) {
        return db.single("throttle", c -> {
            try (PreparedStatement ps = c.prepareStatement(throttle)) {
                Params.bind(ps, db.now(), Text.encode(queue), Params.millis(duration));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Instant.ofEpochMilli(rs.getLong(1));
                }
            }
        });
    }
}
