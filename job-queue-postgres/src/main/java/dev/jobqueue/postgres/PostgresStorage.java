package dev.jobqueue.postgres;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link Storage} on PostgreSQL: one row per job, claims in batches with
 * {@code FOR UPDATE SKIP LOCKED}, wake-ups and terminal notifications with {@code LISTEN/NOTIFY}
 * on one dedicated connection, every deadline in database time, and enqueues that can join the
 * caller's own transaction ({@link #joinTransaction}).
 *
 * <p>The storage creates and migrates its tables itself (in {@code schema}, names starting with
 * {@code tablePrefix}), under a PostgreSQL advisory lock so that processes starting together do
 * not race. Given a JDBC URL it owns a small HikariCP pool; given a {@link DataSource} it borrows
 * connections from it per operation, plus one kept for {@code LISTEN}.
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

    private PostgresStorage(Builder b) {
        throw new UnsupportedOperationException("not implemented yet");
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
     * rolls back nor closes it.
     *
     * @param connection an open connection to the storage's database, normally with auto-commit off
     * @return the scope to close when the transactional work is done
     * @throws IllegalArgumentException when {@code connection} is null
     * @throws IllegalStateException when the thread already has a connection bound to this storage
     */
    public TransactionScope joinTransaction(Connection connection) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * The schema the storage's tables live in.
     *
     * @return the schema name, unquoted
     */
    public String schema() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * The prefix of the storage's table names.
     *
     * @return the prefix, possibly empty
     */
    public String tablePrefix() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public EnqueueOutcome enqueue(String queue, NewJob job) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public List<String> extend(String queue, List<LeaseRef> leases, Duration lease) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public List<TransitionOutcome> completeAll(String queue, List<Completion> completions) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public TransitionOutcome release(String queue, LeaseRef lease) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public TransitionOutcome unclaim(String queue, LeaseRef lease) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public List<StalledJob> requeueExpired(String queue, int limit) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public CancelResult cancel(String queue, String jobId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Optional<JobSnapshot> status(String queue, String jobId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Map<JobState, Long> counts(String queue) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public List<String> list(String queue, JobState state, int limit) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public SnapshotPage listJobs(String queue, JobState state, ListOrder order, String cursor, int limit) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public RetryResult retryJob(String queue, String jobId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public int retryAll(String queue, JobState state, int limit) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public DeleteResult deleteJob(String queue, String jobId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public int purge(String queue, JobState state, int limit) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public PromoteResult promote(String queue, String jobId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public boolean setPaused(String queue, boolean paused) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public boolean isPaused(String queue) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Subscription subscribe(String queue, TerminalListener listener) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public boolean acquireLock(String queue, String lock, String owner, Duration ttl) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public boolean renewLock(String queue, String lock, String owner, Duration ttl) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public boolean releaseLock(String queue, String lock, String owner) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Stops the notification thread, closes the LISTEN connection and, when the storage owns it, the pool. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not implemented yet");
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
