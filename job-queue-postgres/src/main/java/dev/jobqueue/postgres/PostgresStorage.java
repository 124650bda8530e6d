package dev.jobqueue.postgres;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jobqueue.spi.JobErrorCodec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGStatement;

/**
 * A {@link Storage} on PostgreSQL: one row per job, claims in batches with
 * {@code FOR UPDATE SKIP LOCKED}, wake-ups and terminal notifications with {@code LISTEN/NOTIFY}
 * on one dedicated connection, every deadline in database time, and enqueues that can join the
 * caller's own transaction ({@link #joinTransaction}).
 *
 * <p>The storage creates and migrates its tables itself (in {@code schema}, names starting with
 * {@code tablePrefix}), under a PostgreSQL advisory lock so that processes starting together do
 * not race. Given a JDBC URL it owns a small HikariCP pool; given a {@link DataSource} it borrows
 * connections from it per operation, plus one kept for {@code LISTEN}. In
 * {@code pg_stat_activity} the owned pool's sessions are named {@code jobqueue <schema>} and the
 * {@code LISTEN} session {@code jobqueue-listen <schema>}.
 *
 * <!-- snippet: postgres-storage -->
 * <pre>{@code
 * PostgresStorage storage = PostgresStorage.builder()
 *         .jdbcUrl("jdbc:postgresql://127.0.0.1:5432/app").user("app").password(secret)
 *         .schema("jobqueue")
 *         .build();
 * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders").build();
 * }</pre>
 */
public final class PostgresStorage implements Storage {
    /** Durations and instants are clamped to this many milliseconds (about 31,000 years) so sums never overflow. */
    private static final long MAX_MILLIS = 1_000_000_000_000_000L;
    private static final long DEAF_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_WAIT_NANOS = TimeUnit.DAYS.toNanos(365);

    private final Schema schema;
    private final Sql sql;
    private final Database db;
    private final HikariDataSource ownedPool;
    private final IdleClaimers claimers = new IdleClaimers();
    private final TerminalNotifier terminal = new TerminalNotifier();
    private final Notifications notifications;
    private final AsyncEnqueuer asyncEnqueuer;
    private final Waker waker;
    private final FlowControl flow;
    private final Schedules schedules;
    private volatile boolean closed;
    private final boolean asynchronousCompletionCommit;

    private PostgresStorage(Builder b) {
        this.schema = new Schema(b.schema, b.tablePrefix);
        this.sql = new Sql(schema);
        this.asynchronousCompletionCommit = b.asynchronousCompletionCommit;
        DataSource dataSource;
        Notifications.Connector listenConnector;
        if (b.dataSource != null) {
            this.ownedPool = null;
            dataSource = b.dataSource;
            listenConnector = dataSource::getConnection;
        } else {
            this.ownedPool = ownedPool(b);
            dataSource = ownedPool;
            Properties props = new Properties();
            if (b.user != null) {
                props.setProperty("user", b.user);
            }
            if (b.password != null) {
                props.setProperty("password", b.password);
            }
            props.setProperty("ApplicationName", "jobqueue-listen " + b.schema);
            String url = b.jdbcUrl;
            listenConnector = () -> DriverManager.getConnection(url, props);
        }
        Runnable connectionLost = evictIdleConnections(dataSource);
        this.db = new Database(dataSource, b.clock, connectionLost);
        this.flow = new FlowControl(schema, db);
        this.schedules = new Schedules(schema, db);
        try {
            try (Connection c = dataSource.getConnection()) {
                schema.migrate(c);
            }
        } catch (SQLException e) {
            closePool();
            throw Database.failure("schema migration of " + b.schema, e);
        } catch (RuntimeException e) {
            closePool();
            throw e;
        }
        this.notifications = new Notifications(listenConnector, schema.channel, claimers, terminal, connectionLost);
        notifications.start();
        this.waker = new Waker(db, schema.channel, claimers);
        this.asyncEnqueuer = new AsyncEnqueuer(schema.channel, this::enqueueBatch);
    }

    /**
     * When a connection is found lost, a HikariCP pool (ours, or the caller's) evicts its idle
     * connections, which a server restart or {@code pg_terminate_backend} has ended too: HikariCP
     * skips its validation for a connection used within the last 500 ms, so it would hand them
     * out one by one to fail. Other pools are left to their own validation.
     */
    private static Runnable evictIdleConnections(DataSource dataSource) {
        if (!(dataSource instanceof HikariDataSource hikari)) {
            return () -> { };
        }
        return () -> {
            var pool = hikari.getHikariPoolMXBean();
            if (pool != null) {
                pool.softEvictConnections();
            }
        };
    }

    private static HikariDataSource ownedPool(Builder b) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(b.jdbcUrl);
        if (b.user != null) {
            config.setUsername(b.user);
        }
        if (b.password != null) {
            config.setPassword(b.password);
        }
        config.setMaximumPoolSize(b.poolSize);
        config.setMinimumIdle(Math.min(2, b.poolSize));
        config.setAutoCommit(true);
        config.setPoolName("jobqueue-postgres");
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(10));
        // Names the storage's sessions in pg_stat_activity (and lets fault tests pick exactly theirs).
        config.addDataSourceProperty("ApplicationName", "jobqueue " + b.schema);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new PostgresStorageException("cannot connect to " + b.jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    private void closePool() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /**
     * A builder; set either {@link Builder#dataSource} or {@link Builder#jdbcUrl}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds {@code connection} to the calling thread for this storage's operations until the
     * returned scope closes: they run inside the caller's transaction and never commit (see
     * {@link TransactionScope}). The connection stays the caller's: the storage neither commits,
     * rolls back nor closes it. Claims never use it.
     *
     * @param connection an open connection to the storage's database, normally with auto-commit off
     * @return the scope to close when the transactional work is done
     * @throws IllegalArgumentException when {@code connection} is null
     * @throws IllegalStateException when the thread already has a connection bound to this storage
     */
    public TransactionScope joinTransaction(Connection connection) {
        return db.bind(connection);
    }

    /**
     * The schema the storage's tables live in.
     *
     * @return the schema name, unquoted
     */
    public String schema() {
        return schema.schema;
    }

    /**
     * The prefix of the storage's table names.
     *
     * @return the prefix, possibly empty
     */
    public String tablePrefix() {
        return schema.prefix;
    }

    // ---------------------------------------------------------------- enqueue

    @Override
    public EnqueueOutcome enqueue(String queue, NewJob job) {
        return enqueueBatch(queue, List.of(job)).get(0);
    }

    /**
     * Stores the job with the other async enqueues pending at that moment, in one statement per
     * queue (see the Storage contract for program order). Inside {@link #joinTransaction} it
     * enqueues at once on the caller's connection.
     */
    @Override
    public CompletableFuture<EnqueueOutcome> enqueueAsync(String queue, NewJob job) {
        if (db.inCallerTransaction()) {
            return Storage.super.enqueueAsync(queue, job);
        }
        CompletableFuture<EnqueueOutcome> future = asyncEnqueuer.submit(queue, job);
        db.noteAsync(future);
        return future;
    }

    @Override
    public List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        String q = Text.encode(queue);
        return db.single("enqueue", c -> {
            boolean ownCommit = c.getAutoCommit();
            Map<String, Long> reservedSeq = new HashMap<>();
            Set<String> inserted = insert(c, q, jobs, reservedSeq);
            boolean created = !inserted.isEmpty();
            EnqueueOutcome[] out = new EnqueueOutcome[jobs.size()];
            Set<String> taken = new HashSet<>();
            for (int i = 0; i < out.length; i++) {
                String id = Text.encode(jobs.get(i).id());
                out[i] = inserted.contains(id) && taken.add(id)
                        ? EnqueueOutcome.newlyCreated()
                        : enqueueExisting(c, q, jobs.get(i), reservedSeq.remove(id));
                created |= out[i].created();
            }
            if (created && ownCommit) {
                waker.wake(q); // committed already: auto-commit
            }
            return Arrays.asList(out);
        });
    }

    /**
     * The common case in one statement: inserts every job whose id is free; returns their ids.
     * Puts into {@code reservedSeq} the FIFO place the batch reserved for each id not inserted
     * (its first occurrence), for {@link #enqueueExisting} to keep when it replaces a record.
     */
    private Set<String> insert(Connection c, String q, List<NewJob> jobs, Map<String, Long> reservedSeq)
            throws SQLException {
        int n = jobs.size();
        String[] ids = new String[n];
        byte[][] payloads = new byte[n][];
        Integer[] priorities = new Integer[n];
        Long[] runAts = new Long[n];
        Long[] delays = new Long[n];
        Integer[] maxAttempts = new Integer[n];
        Integer[] maxStalls = new Integer[n];
        Long[] ttls = new Long[n];
        Boolean[] notify = new Boolean[n];
        byte[][] metadata = new byte[n][];
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(i);
            ids[i] = Text.encode(job.id());
            payloads[i] = job.payload();
            priorities[i] = job.priority();
            runAts[i] = job.runAt() == null ? null : clamp(job.runAt().toEpochMilli());
            delays[i] = millis(job.delay());
            maxAttempts[i] = job.maxAttempts();
            maxStalls[i] = job.maxStalls();
            ttls[i] = millis(job.resultTtl());
            notify[i] = job.notifyOnTerminal();
            metadata[i] = MetadataCodec.encode(job.metadata());
        }
        Set<String> inserted = new HashSet<>(n * 2);
        try (PreparedStatement ps = c.prepareStatement(sql.insert)) {
            bind(ps, db.now(), c.createArrayOf("text", ids), c.createArrayOf("bytea", payloads),
                    c.createArrayOf("integer", priorities), c.createArrayOf("bigint", runAts),
                    c.createArrayOf("bigint", delays), c.createArrayOf("integer", maxAttempts),
                    c.createArrayOf("integer", maxStalls), c.createArrayOf("bigint", ttls),
                    c.createArrayOf("boolean", notify), c.createArrayOf("bytea", metadata),
                    q, schema.channel, wakeNotice(q), !c.getAutoCommit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(3)) {
                        inserted.add(rs.getString(1));
                    } else {
                        reservedSeq.putIfAbsent(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        return inserted;
    }

    /**
     * The id is taken (or was taken an instant ago): replace a cancelled or expired record, else
     * report the live one (turning its notification on when asked). Loops when the record changes
     * between the steps.
     */
    private EnqueueOutcome enqueueExisting(Connection c, String q, NewJob job, Long reservedSeq) throws SQLException {
        String id = Text.encode(job.id());
        Long seq = reservedSeq;
        while (true) {
            try (PreparedStatement ps = c.prepareStatement(sql.replace)) {
                bind(ps, db.now(), job.runAt() == null ? null : clamp(job.runAt().toEpochMilli()), millis(job.delay()),
                        seq, job.priority(), job.payload(), MetadataCodec.encode(job.metadata()), job.maxAttempts(),
                        job.maxStalls(), millis(job.resultTtl()), job.notifyOnTerminal(), q, id,
                        schema.channel, wakeNotice(q), !c.getAutoCommit());
                if (firstLong(ps) > 0) {
                    return EnqueueOutcome.newlyCreated();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.select)) {
                bind(ps, db.now(), q, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        JobSnapshot existing = Rows.snapshot(rs);
                        boolean notifying = rs.getBoolean(19);
                        if (existing.state() != JobState.CANCELLED) {
                            if (job.notifyOnTerminal() && !notifying) {
                                try (PreparedStatement up = c.prepareStatement(sql.setNotify)) {
                                    bind(up, q, id);
                                    up.executeUpdate();
                                }
                            }
                            return EnqueueOutcome.duplicate(existing);
                        }
                        continue; // cancelled an instant ago: replace it
                    }
                }
            }
            Map<String, Long> reserved = new HashMap<>(2);
            if (insert(c, q, List.of(job), reserved).contains(id)) {
                return EnqueueOutcome.newlyCreated();
            }
            seq = reserved.get(id);
        }
    }

    // ---------------------------------------------------------------- claim

    @Override
    public List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException {
        if (closed) {
            return List.of();
        }
        String q = Text.encode(queue);
        String w = Text.encode(workerId);
        long leaseMs = millis(lease);
        IdleClaimers.Signal signal = claimers.of(q);
        long waitNanos = Math.min(MAX_WAIT_NANOS, saturatedNanos(maxWait));
        long waitUntil = System.nanoTime() + waitNanos;
        while (true) {
            long seen = signal.version();
            FlowControl.Claim got = db.pooled("claim", c -> flow.limited(q) // queue limits: see FlowControl
                    ? flow.claimLimited(c, q, max, (conn, n, limited) -> take(conn, q, w, n, leaseMs, limited))
                    : FlowControl.Claim.free(take(c, q, w, max, leaseMs, false)));
            List<ClaimedJob> claimed = got.jobs();
            if (!claimed.isEmpty() || closed) {
                return claimed;
            }
            long remaining = waitUntil - System.nanoTime();
            if (remaining <= 0) {
                if (got.heldNanos() < 0 && !flow.limited(q) && flow.limitsSetElsewhere(q)) {
                    continue; // the queue got limits from another process: the locked path, once more
                }
                return claimed;
            }
            long nap = Math.min(remaining, got.heldNanos() >= 0 ? got.heldNanos() : db.pooled("claim", c -> idleNanos(c, q)));
            if (!notifications.listening()) {
                nap = Math.min(nap, DEAF_POLL_NANOS); // wake-ups cannot reach us now: poll
            }
            signal.await(seen, nap);
            if (closed) {
                return List.of();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("claim interrupted");
            }
        }
    }

    /** {@code limited}: the caller holds the queue's limits row ({@link FlowControl}); else the take is guarded. */
    private List<ClaimedJob> take(Connection c, String q, String w, int max, long leaseMs, boolean limited)
            throws SQLException {
        Long now = db.now();
        List<ClaimedJob> out = new ArrayList<>(Math.min(max, 256));
        List<long[]> order = new ArrayList<>(Math.min(max, 256));
        try (PreparedStatement ps = c.prepareStatement(sql.promoteAndTake)) {
            bind(ps, now, q, q, now, q, q, limited, q, max, w, leaseMs);
            boolean isResult = ps.execute();
            while (!isResult && ps.getUpdateCount() != -1) {
                isResult = ps.getMoreResults();
            }
            if (!isResult) {
                throw new SQLException("claim returned no rows");
            }
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    out.add(new ClaimedJob(Text.decode(rs.getString(1)), rs.getBytes(2), rs.getInt(3), rs.getInt(4),
                            Rows.instant(rs, 5), rs.getLong(6), Rows.instant(rs, 7),
                            MetadataCodec.decode(rs.getBytes(8)), Rows.instant(rs, 9), Rows.instant(rs, 10)));
                    order.add(new long[] {rs.getInt(11), rs.getLong(12)});
                }
            }
        }
        if (out.size() > 1) { // RETURNING has no order: back to claim order
            Integer[] idx = new Integer[out.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> {
                long[] x = order.get(a);
                long[] y = order.get(b);
                return x[0] != y[0] ? Long.compare(y[0], x[0]) : Long.compare(x[1], y[1]);
            });
            List<ClaimedJob> sorted = new ArrayList<>(idx.length);
            for (Integer i : idx) {
                sorted.add(out.get(i));
            }
            return sorted;
        }
        return out;
    }

    /**
     * How long an idle claimer may sleep: until the next DELAYED/FAILING job is due (unless the
     * queue is paused) or its throttle ends, else as long as it likes; not at all when the queue
     * turns out to have limits (look again on the locked path). Also deletes a bounded batch of
     * expired results.
     */
    private long idleNanos(Connection c, String q) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.idle)) {
            bind(ps, db.now(), q, q, q, q, q, q);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long now = rs.getLong(1);
                long nextDue = rs.getLong(2);
                boolean due = !rs.wasNull();
                boolean running = rs.getBoolean(3);
                if (flow.noteLimits(q, rs.getBoolean(5))) {
                    return 0;
                }
                long throttledUntil = rs.getLong(6);
                long until = rs.wasNull() ? Long.MAX_VALUE : Math.min(throttledUntil, now + FlowControl.HELD_RECHECK_MILLIS);
                if (due && running) {
                    until = Math.min(until, nextDue);
                }
                if (until == Long.MAX_VALUE) {
                    return Long.MAX_VALUE;
                }
                return TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(until - now, MAX_MILLIS)));
            }
        }
    }

    // ---------------------------------------------------------------- lease holders

    @Override
    public List<String> extend(String queue, List<LeaseRef> leases, Duration lease) {
        if (leases.isEmpty()) {
            return List.of();
        }
        String q = Text.encode(queue);
        return db.single("extend", c -> {
            String[] ids = new String[leases.size()];
            Long[] tokens = new Long[leases.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = Text.encode(leases.get(i).jobId());
                tokens[i] = leases.get(i).fencingToken();
            }
            Set<String> extended = new HashSet<>();
            try (PreparedStatement ps = planPerCall(c.prepareStatement(sql.extend))) {
                bind(ps, db.now(), c.createArrayOf("text", ids), c.createArrayOf("bigint", tokens), q, millis(lease));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        extended.add(rs.getLong(2) + ":" + rs.getString(1));
                    }
                }
            }
            List<String> lost = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (!extended.contains(tokens[i] + ":" + ids[i])) { // the same job under another token is lost
                    lost.add(leases.get(i).jobId());
                }
            }
            return lost;
        });
    }

    @Override
    public TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl) {
        return completeAll(queue, List.of(new Completion(lease, result, resultTtl))).get(0);
    }

    @Override
    public List<TransitionOutcome> completeAll(String queue, List<Completion> completions) {
        int n = completions.size();
        LeaseRef[] leases = new LeaseRef[n];
        byte[][] results = new byte[n][];
        Long[] ttls = new Long[n];
        for (int i = 0; i < n; i++) {
            Completion done = completions.get(i);
            leases[i] = done.lease();
            results[i] = done.result();
            ttls[i] = done.resultTtl() == null ? null : millis(done.resultTtl());
        }
        return finish(queue, JobState.COMPLETED, leases, results, new byte[n][], ttls);
    }

    @Override
    public TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl) {
        return finish(queue, JobState.FAILED, new LeaseRef[] {lease}, new byte[1][],
                new byte[][] {JobErrorCodec.encode(error)},
                new Long[] {resultTtl == null ? null : millis(resultTtl)}).get(0);
    }

    /** PROCESSING -> a terminal state for each fenced claim, in one statement. */
    private List<TransitionOutcome> finish(String queue, JobState state, LeaseRef[] leases, byte[][] results,
                                           byte[][] errors, Long[] ttls) {
        if (leases.length == 0) {
            return List.of();
        }
        String q = Text.encode(queue);
        return db.single("complete", c -> {
            String[] ids = new String[leases.length];
            Long[] tokens = new Long[leases.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = Text.encode(leases[i].jobId());
                tokens[i] = leases[i].fencingToken();
            }
            Set<String> applied = new HashSet<>();
            // relaxed only in the storage's own auto-commit transaction, never in a caller's
            String statement = asynchronousCompletionCommit && c.getAutoCommit() ? sql.finishAsync : sql.finish;
            try (PreparedStatement ps = planPerCall(c.prepareStatement(statement))) {
                bind(ps, db.now(), c.createArrayOf("text", ids), c.createArrayOf("bigint", tokens),
                        c.createArrayOf("bytea", results), c.createArrayOf("bytea", errors),
                        c.createArrayOf("bigint", ttls), q, (short) state.ordinal(), schema.channel, noticePrefix(q));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        applied.add(rs.getLong(2) + ":" + rs.getString(1));
                    }
                }
            }
            List<TransitionOutcome> out = new ArrayList<>(ids.length);
            for (int i = 0; i < ids.length; i++) {
                // a claim listed twice is applied once: the second is no longer current
                out.add(applied.remove(tokens[i] + ":" + ids[i]) ? TransitionOutcome.APPLIED : TransitionOutcome.LEASE_LOST);
            }
            return out;
        });
    }

    @Override
    public TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError) {
        String q = Text.encode(queue);
        return db.single("retry", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.retry)) {
                bind(ps, db.now(), millis(backoff), JobErrorCodec.encode(lastError), q, Text.encode(lease.jobId()),
                        lease.fencingToken(), schema.channel, wakeNotice(q));
                return outcome(firstLong(ps));
            }
        });
    }

    @Override
    public TransitionOutcome release(String queue, LeaseRef lease) {
        return release(queue, lease, 0);
    }

    @Override
    public TransitionOutcome unclaim(String queue, LeaseRef lease) {
        return release(queue, lease, 1);
    }

    private TransitionOutcome release(String queue, LeaseRef lease, int attemptsBack) {
        String q = Text.encode(queue);
        return db.single("release", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.release)) {
                bind(ps, db.now(), attemptsBack, q, Text.encode(lease.jobId()), lease.fencingToken(),
                        schema.channel, wakeNotice(q));
                return outcome(firstLong(ps));
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement, fenced like {@code retry}; idle claimers are woken after the commit so that
     * they wait no longer than the new due time.
     */
    @Override
    public TransitionOutcome snooze(String queue, LeaseRef lease, Duration delay) {
        String q = Text.encode(queue);
        return db.single("snooze", c -> {
            boolean ownCommit = c.getAutoCommit();
            try (PreparedStatement ps = c.prepareStatement(sql.snooze)) {
                bind(ps, db.now(), millis(delay), q, Text.encode(lease.jobId()), lease.fencingToken(),
                        schema.channel, wakeNotice(q), !ownCommit);
                TransitionOutcome outcome = outcome(firstLong(ps));
                if (outcome == TransitionOutcome.APPLIED && ownCommit) {
                    waker.wake(q);
                }
                return outcome;
            }
        });
    }

    private static TransitionOutcome outcome(long applied) {
        return applied > 0 ? TransitionOutcome.APPLIED : TransitionOutcome.LEASE_LOST;
    }

    // ---------------------------------------------------------------- reaper

    @Override
    public List<StalledJob> requeueExpired(String queue, int limit) {
        String q = Text.encode(queue);
        List<StalledJob> stalled = db.atomic("requeueExpired", c -> {
            List<StalledJob> found = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            List<Boolean> fails = new ArrayList<>();
            List<byte[]> errors = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.selectExpiredLeases)) {
                bind(ps, db.now(), q, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        int stalls = rs.getInt(3) + 1;
                        int maxStalls = rs.getInt(4);
                        boolean fail = stalls > maxStalls;
                        ids.add(id);
                        fails.add(fail);
                        errors.add(fail ? JobErrorCodec.encode(new JobError(JobError.STALLED_TYPE,
                                "lease expired " + stalls + " times (maxStalls " + maxStalls + ")", null, null,
                                rs.getInt(5), Instant.ofEpochMilli(rs.getLong(6)))) : null);
                        found.add(new StalledJob(Text.decode(id), Text.decode(rs.getString(2)), stalls,
                                fail ? JobState.FAILED : JobState.QUEUED));
                    }
                }
            }
            if (!ids.isEmpty()) {
                try (PreparedStatement ps = planPerCall(c.prepareStatement(sql.stall))) {
                    bind(ps, db.now(), c.createArrayOf("text", ids.toArray()), c.createArrayOf("boolean", fails.toArray()),
                            c.createArrayOf("bytea", errors.toArray(new byte[0][])), q,
                            schema.channel, noticePrefix(q), schema.channel, wakeNotice(q));
                    firstLong(ps);
                }
            }
            return found;
        });
        cleanupExpired(q);
        return stalled;
    }

    /** Deletes a bounded batch of expired terminal records of the queue (they are invisible already). */
    private void cleanupExpired(String q) {
        db.single("cleanup", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "WITH c AS (SELECT " + Sql.NOW + " AS now) " + sql.cleanup)) {
                bind(ps, db.now(), q);
                return ps.executeUpdate();
            }
        });
    }

    // ---------------------------------------------------------------- inspection and admin

    @Override
    public CancelResult cancel(String queue, String jobId) {
        String q = Text.encode(queue);
        String id = Text.encode(jobId);
        return db.single("cancel", c -> {
            boolean ownCommit = c.getAutoCommit();
            while (true) {
                try (PreparedStatement ps = c.prepareStatement(sql.cancel)) {
                    bind(ps, db.now(), q, id, q, id, schema.channel, noticePrefix(q), !ownCommit);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            if (rs.getInt(5) == JobState.PROCESSING.ordinal() && ownCommit) {
                                waker.notice("t" + JobState.CANCELLED.ordinal() + noticePrefix(q) + id); // committed
                            }
                            return CancelResult.CANCELLED;
                        }
                        int state = rs.getInt(2);
                        if (rs.wasNull() || !rs.getBoolean(3)) {
                            return CancelResult.NOT_FOUND;
                        }
                        switch (JobState.values()[state]) {
                            case COMPLETED:
                                return CancelResult.COMPLETED;
                            case FAILED:
                                return CancelResult.FAILED;
                            case CANCELLED:
                                return CancelResult.CANCELLED;
                            default:
                                break; // claimed or changed between the read and the update: again
                        }
                    }
                }
            }
        });
    }

    @Override
    public Optional<JobSnapshot> status(String queue, String jobId) {
        return db.read("status", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.select)) {
                bind(ps, db.now(), Text.encode(queue), Text.encode(jobId));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.snapshot(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl) {
        String q = Text.encode(queue);
        String id = Text.encode(jobId);
        return db.single("updateResultTtl", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.updateTtl)) {
                bind(ps, db.now(), q, id, millis(ttl), q, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return TtlUpdateResult.UPDATED;
                    }
                    rs.getInt(2);
                    return rs.wasNull() || !rs.getBoolean(3) ? TtlUpdateResult.NOT_FOUND : TtlUpdateResult.NOT_TERMINAL;
                }
            }
        });
    }

    @Override
    public Map<JobState, Long> counts(String queue) {
        return db.read("counts", c -> {
            Map<JobState, Long> out = new EnumMap<>(JobState.class);
            for (JobState s : JobState.values()) {
                out.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement(sql.counts)) {
                bind(ps, db.now(), Text.encode(queue));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(JobState.values()[rs.getShort(1)], rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<String> list(String queue, JobState state, int limit) {
        String query = sql.page(ListCursor.Key.of(state), false, false, "j.id");
        return db.read("list", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(query)) {
                bind(ps, db.now(), Text.encode(queue), (short) state.ordinal(), limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(Text.decode(rs.getString(1)));
                    }
                }
            }
            return ids;
        });
    }

    @Override
    public SnapshotPage listJobs(String queue, JobState state, ListOrder order, String cursor, int limit) {
        ListCursor after = cursor == null ? null : ListCursor.decode(cursor, state, order);
        ListCursor.Key key = ListCursor.Key.of(state);
        boolean newest = order == ListOrder.NEWEST_FIRST;
        String t = key.timeColumn();
        String columns = Sql.SNAPSHOT_COLUMNS + ", " + (t == null ? "j.priority" : "j." + t);
        String query = sql.page(key, newest, after != null, columns);
        int fetch = limit == Integer.MAX_VALUE ? limit : limit + 1;
        return db.read("listJobs", c -> {
            List<Object> params = new ArrayList<>(List.of(Text.encode(queue), (short) state.ordinal()));
            if (after != null) {
                if (t == null) {
                    params.addAll(List.of((int) after.k1(), (int) after.k1(), after.k2()));
                } else {
                    params.addAll(List.of(after.k1(), after.k2()));
                }
            }
            params.add(fetch);
            List<JobSnapshot> jobs = new ArrayList<>();
            long k1 = 0;
            long k2 = 0;
            boolean more = false;
            try (PreparedStatement ps = c.prepareStatement(query)) {
                Object[] all = new Object[params.size() + 1];
                all[0] = db.now();
                for (int i = 0; i < params.size(); i++) {
                    all[i + 1] = params.get(i);
                }
                bind(ps, all);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (jobs.size() == limit) {
                            more = true;
                            break;
                        }
                        jobs.add(Rows.snapshot(rs));
                        k2 = rs.getLong(18);
                        k1 = rs.getLong(19);
                    }
                }
            }
            return new SnapshotPage(jobs, more ? new ListCursor(state, order, k1, k2).encode() : null);
        });
    }

    @Override
    public RetryResult retryJob(String queue, String jobId) {
        String q = Text.encode(queue);
        String id = Text.encode(jobId);
        return db.single("retryJob", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.retryJob)) {
                bind(ps, db.now(), q, id, q, id, schema.channel, wakeNotice(q));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return RetryResult.RETRIED;
                    }
                    rs.getInt(2);
                    return rs.wasNull() || !rs.getBoolean(3) ? RetryResult.NOT_FOUND : RetryResult.NOT_RETRYABLE;
                }
            }
        });
    }

    @Override
    public int retryAll(String queue, JobState state, int limit) {
        String q = Text.encode(queue);
        return db.single("retryAll", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.retryAll)) {
                bind(ps, db.now(), q, (short) state.ordinal(), limit, schema.channel, wakeNotice(q));
                return (int) firstLong(ps);
            }
        });
    }

    @Override
    public DeleteResult deleteJob(String queue, String jobId) {
        String q = Text.encode(queue);
        String id = Text.encode(jobId);
        return db.single("deleteJob", c -> {
            while (true) {
                try (PreparedStatement ps = c.prepareStatement(sql.deleteJob)) {
                    bind(ps, db.now(), q, id, q, id, schema.channel, noticePrefix(q));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        boolean deletedVisible = rs.getBoolean(1);
                        boolean deleted = !rs.wasNull();
                        if (deleted) {
                            return deletedVisible ? DeleteResult.DELETED : DeleteResult.NOT_FOUND;
                        }
                        int state = rs.getInt(2);
                        if (rs.wasNull()) {
                            return DeleteResult.NOT_FOUND;
                        }
                        if (state == JobState.PROCESSING.ordinal()) {
                            return DeleteResult.PROCESSING;
                        }
                        // it was PROCESSING when the delete looked, and is not any more: again
                    }
                }
            }
        });
    }

    @Override
    public int purge(String queue, JobState state, int limit) {
        String q = Text.encode(queue);
        String query = sql.purge(ListCursor.Key.of(state));
        return db.single("purge", c -> {
            try (PreparedStatement ps = c.prepareStatement(query)) {
                bind(ps, db.now(), q, (short) state.ordinal(), limit, schema.channel, noticePrefix(q));
                return (int) firstLong(ps);
            }
        });
    }

    @Override
    public PromoteResult promote(String queue, String jobId) {
        String q = Text.encode(queue);
        String id = Text.encode(jobId);
        return db.single("promote", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.promote)) {
                bind(ps, db.now(), q, id, q, id, schema.channel, wakeNotice(q));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return PromoteResult.PROMOTED;
                    }
                    rs.getInt(2);
                    return rs.wasNull() || !rs.getBoolean(3) ? PromoteResult.NOT_FOUND : PromoteResult.NOT_DELAYED;
                }
            }
        });
    }

    @Override
    public boolean setPaused(String queue, boolean paused) {
        String q = Text.encode(queue);
        return db.single("setPaused", c -> {
            if (paused) {
                try (PreparedStatement ps = c.prepareStatement(sql.pause)) {
                    bind(ps, q);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.resume)) {
                bind(ps, q, schema.channel, wakeNotice(q));
                return firstLong(ps) > 0;
            }
        });
    }

    // ---------------------------------------------------------------- flow control (FlowControl)

    /**
     * {@inheritDoc}
     *
     * <p>One row per queue in the limits table; a period is kept in whole milliseconds. A queue
     * with limits is claimed under a lock of that row (see {@code FlowControl}); a queue without
     * them keeps the one-statement claim.
     */
    @Override
    public void setLimits(String queue, QueueLimits limits) {
        flow.setLimits(queue, limits);
    }

    @Override
    public QueueLimits limits(String queue) {
        return flow.limits(queue);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Durable: the end is stored in the queue's limits row (database time), so a throttle also
     * holds across restarts.
     */
    @Override
    public Instant throttle(String queue, Duration duration) {
        return flow.throttle(queue, duration);
    }

    // ---------------------------------------------------------------- schedules (Schedules)

    /**
     * {@inheritDoc}
     *
     * <p>One statement ({@code INSERT ... ON CONFLICT}); an equal definition writes nothing.
     */
    @Override
    public ScheduleRecord upsertSchedule(String queue, String scheduleId, byte[] definition, Instant nextFireAt) {
        return schedules.upsert(queue, scheduleId, definition, nextFireAt);
    }

    @Override
    public boolean removeSchedule(String queue, String scheduleId) {
        return schedules.remove(queue, scheduleId);
    }

    @Override
    public List<ScheduleRecord> listSchedules(String queue) {
        return schedules.list(queue);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement on the index by fire time: a poll when nothing is due reads one index entry.
     */
    @Override
    public List<ScheduleRecord> dueSchedules(String queue, int limit) {
        return schedules.due(queue, limit);
    }

    @Override
    public boolean advanceSchedule(String queue, String scheduleId, long expectedVersion, Instant nextFireAt) {
        return schedules.advance(queue, scheduleId, expectedVersion, nextFireAt);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement: a skip scan over the primary key visits each distinct queue once and probes
     * each state's partial index for a live record, plus the paused rows of the queues table; the
     * work grows with the number of queues, not jobs. Sorted here, in {@link String#compareTo} order.
     */
    @Override
    public List<String> queueNames() {
        return db.read("queueNames", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.queueNames)) {
                bind(ps, db.now());
                List<String> names = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(Text.decode(rs.getString(1)));
                    }
                }
                return names.stream().distinct().sorted().toList();
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Durable: the transaction that completes or fails jobs (complete, completeAll, fail, a
     * stall that fails) adds them to a counter row of the queue in the same statement, so a
     * counted job is a finished job. The rows are sharded by the database session, so workers
     * finishing batches at once do not wait on one row lock; this read sums at most
     * {@value Schema#COUNTER_SHARDS} rows found by the primary key (one statement).
     */
    @Override
    public FinishedTotals finishedTotals(String queue) {
        return db.read("finishedTotals", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.finishedTotals)) {
                bind(ps, Text.encode(queue));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new FinishedTotals(rs.getLong(1), rs.getLong(2));
                }
            }
        });
    }

    @Override
    public boolean isPaused(String queue) {
        return db.read("isPaused", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.isPaused)) {
                bind(ps, Text.encode(queue));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public Subscription subscribe(String queue, TerminalListener listener) {
        if (closed) {
            throw new IllegalStateException("storage is closed");
        }
        return terminal.subscribe(queue, listener);
    }

    // ---------------------------------------------------------------- leader locks

    @Override
    public boolean acquireLock(String queue, String lock, String owner, Duration ttl) {
        long ttlMs = millis(ttl);
        return db.single("acquireLock", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.acquireLock)) {
                bind(ps, db.now(), Text.encode(queue), Text.encode(lock), Text.encode(owner), ttlMs, ttlMs);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public boolean renewLock(String queue, String lock, String owner, Duration ttl) {
        return db.single("renewLock", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.renewLock)) {
                bind(ps, db.now(), millis(ttl), Text.encode(queue), Text.encode(lock), Text.encode(owner));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public boolean releaseLock(String queue, String lock, String owner) {
        String o = Text.encode(owner);
        return db.single("releaseLock", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.releaseLock)) {
                bind(ps, db.now(), Text.encode(queue), Text.encode(lock), o, o);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    /** Stops the notification thread, closes the LISTEN connection and, when the storage owns it, the pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        asyncEnqueuer.close();
        waker.close();
        notifications.close();
        claimers.wakeAll();
        closePool();
    }

    // ---------------------------------------------------------------- helpers

    private static String wakeNotice(String encodedQueue) {
        return "w" + encodedQueue;
    }

    /** The part of a terminal notice between the state digit and the job id. */
    private static String noticePrefix(String encodedQueue) {
        return encodedQueue.codePointCount(0, encodedQueue.length()) + ":" + encodedQueue;
    }

    /**
     * Has PostgreSQL plan the statement for each call with its actual arguments (pgjdbc's
     * prepare threshold 0: never a named server-side statement), for the statements that take
     * a list of leases. A generic plan, which pgjdbc's server-side prepared statements get after
     * a few calls, does not know how many leases a call brings (it assumes 100), and made while
     * the table was small and never analyzed it scans the queue's rows for every call, and stays
     * cached: ~250 rows read per completed job in a cold benchmark. Planned per call, a handful
     * of leases are looked up by key. The plan costs well under a millisecond of server CPU.
     * Statements of other drivers' pools are left as they are.
     */
    private static PreparedStatement planPerCall(PreparedStatement ps) throws SQLException {
        if (ps.isWrapperFor(PGStatement.class)) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
        return ps;
    }

    private static long firstLong(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                ps.setNull(i + 1, Types.OTHER); // typed by the statement's CAST
            } else if (v instanceof java.sql.Array a) {
                ps.setArray(i + 1, a);
            } else if (v instanceof byte[] bytes) {
                ps.setBytes(i + 1, bytes);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }

    private static long millis(Duration d) {
        try {
            return clamp(d.toMillis());
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? -MAX_MILLIS : MAX_MILLIS;
        }
    }

    private static long clamp(long ms) {
        return Math.max(-MAX_MILLIS, Math.min(MAX_MILLIS, ms));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.max(0, d.toNanos());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    /**
     * Configures a {@link PostgresStorage}. Setters validate at once and return {@code this}.
     *
     * <!-- snippet: postgres-storage-builder -->
     * <pre>{@code
     * PostgresStorage storage = PostgresStorage.builder().dataSource(appDataSource).schema("jobs").tablePrefix("").build();
     * }</pre>
     */
    public static final class Builder {
        static final int MAX_IDENTIFIER_BYTES = 40;
        DataSource dataSource;
        String jdbcUrl;
        String user;
        String password;
        String schema = "jobqueue";
        String tablePrefix = "jq_";
        int poolSize = 8;
        Clock clock;
        boolean asynchronousCompletionCommit;

        private Builder() {
        }

        /**
         * Borrows connections from {@code dataSource} (any pool): one per operation, plus one kept
         * open for {@code LISTEN}. Its connections must be in auto-commit mode outside a
         * transaction; a connection handed out with auto-commit off (a Spring
         * {@code TransactionAwareDataSourceProxy} inside a {@code @Transactional} method) is taken
         * to be the caller's transaction, which the operation then joins without committing.
         *
         * @param dataSource the pool
         * @return this builder
         * @throws IllegalArgumentException when {@code dataSource} is null
         */
        public Builder dataSource(DataSource dataSource) {
            require(dataSource != null, "dataSource must not be null");
            this.dataSource = dataSource;
            return this;
        }

        /**
         * Connects to {@code jdbcUrl} through a pool the storage owns (HikariCP, {@link #poolSize}
         * connections) and closes on {@link PostgresStorage#close()}.
         *
         * @param jdbcUrl a {@code jdbc:postgresql:} URL
         * @return this builder
         * @throws IllegalArgumentException when {@code jdbcUrl} is null or not a PostgreSQL JDBC URL
         */
        public Builder jdbcUrl(String jdbcUrl) {
            require(jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:"),
                    "jdbcUrl must start with jdbc:postgresql:");
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /**
         * The user for {@link #jdbcUrl}; without it the URL's or the driver's default applies.
         *
         * @param user the database user
         * @return this builder
         * @throws IllegalArgumentException when {@code user} is null or empty
         */
        public Builder user(String user) {
            require(user != null && !user.isEmpty(), "user must not be null or empty");
            this.user = user;
            return this;
        }

        /**
         * The password for {@link #jdbcUrl}; never logged.
         *
         * @param password the password
         * @return this builder
         * @throws IllegalArgumentException when {@code password} is null
         */
        public Builder password(String password) {
            require(password != null, "password must not be null");
            this.password = password;
            return this;
        }

        /**
         * The schema of the storage's tables (created when missing); default {@code jobqueue}.
         *
         * @param schema a PostgreSQL identifier: a letter or underscore, then letters, digits or
         *               underscores, at most 40 characters (stored as given, quoted, so case matters)
         * @return this builder
         * @throws IllegalArgumentException when {@code schema} is not such an identifier
         */
        public Builder schema(String schema) {
            require(schema != null && isIdentifier(schema, false),
                    "schema must be a letter or '_' then letters, digits or '_', at most "
                            + MAX_IDENTIFIER_BYTES + " chars, got " + schema);
            this.schema = schema;
            return this;
        }

        /**
         * The prefix of every table, sequence and index name; default {@code jq_}, may be empty.
         * Two storages with different prefixes in one schema are independent.
         *
         * @param tablePrefix empty, or letters, digits and underscores starting with a letter or
         *                    underscore, at most 40 characters
         * @return this builder
         * @throws IllegalArgumentException when {@code tablePrefix} is null or not such a name
         */
        public Builder tablePrefix(String tablePrefix) {
            require(tablePrefix != null && isIdentifier(tablePrefix, true),
                    "tablePrefix must be empty or a letter or '_' then letters, digits or '_', at most "
                            + MAX_IDENTIFIER_BYTES + " chars, got " + tablePrefix);
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * Connections of the pool the storage owns with {@link #jdbcUrl}; default 8. Ignored with
         * a {@link #dataSource}. Claims do not hold a connection while they wait for work.
         *
         * @param poolSize 1 to 1000
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder poolSize(int poolSize) {
            require(poolSize >= 1 && poolSize <= 1000, "poolSize must be in 1..1000, got " + poolSize);
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Opt-in, weaker durability for throughput: when {@code true}, the statements that finish
         * jobs ({@code complete}, {@code completeAll}, {@code fail}) commit with
         * {@code synchronous_commit = off} for their own transaction only, so they do not wait for
         * the WAL flush. Default {@code false}: every transition is durable when the call returns.
         * Enqueues, claims, retries and every other operation stay durable either way, and inside a
         * caller's transaction ({@link PostgresStorage#joinTransaction}) the caller's setting
         * applies.
         *
         * <p>What a crash of the PostgreSQL server or its host (not of this process) can lose: the
         * completions and failures committed in roughly the last three {@code wal_writer_delay}s
         * (600 ms with the default 200 ms) before the crash. No job is lost: such a job is found
         * PROCESSING after the restart, and once its lease ends the reaper requeues it (a stall)
         * and it runs again, or, past its {@code maxStalls}, fails as stalled. But its first run
         * was already reported complete (result, listeners, waiters, a recorded result that is now
         * gone), so handlers must tolerate running twice, as they must for stalls anyway. A crash
         * of the JVM alone loses nothing.
         *
         * @param relaxed {@code true} to commit job completions without waiting for the WAL flush
         * @return this builder
         */
        public Builder asynchronousCompletionCommit(boolean relaxed) {
            this.asynchronousCompletionCommit = relaxed;
            return this;
        }

        /**
         * Testing aid, package-private on purpose: take "now" from this clock (sent with every
         * statement) instead of the database server's clock.
         */
        Builder clock(Clock clock) {
            require(clock != null, "clock must not be null");
            this.clock = clock;
            return this;
        }

        /**
         * Connects, creates or migrates the schema, and starts the notification connection.
         *
         * @return the storage
         * @throws IllegalArgumentException when neither or both of dataSource and jdbcUrl are set,
         *         or user/password are set with a dataSource
         * @throws PostgresStorageException when the database cannot be reached or migrated
         */
        public PostgresStorage build() {
            require((dataSource == null) != (jdbcUrl == null), "exactly one of dataSource and jdbcUrl must be set");
            require(dataSource == null || (user == null && password == null),
                    "user and password go with jdbcUrl, not with dataSource");
            return new PostgresStorage(this);
        }

        private static boolean isIdentifier(String s, boolean emptyAllowed) {
            if (s.isEmpty()) {
                return emptyAllowed;
            }
            if (s.length() > MAX_IDENTIFIER_BYTES) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
                boolean digit = c >= '0' && c <= '9';
                if (!(letter || (i > 0 && digit))) {
                    return false;
                }
            }
            return true;
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
