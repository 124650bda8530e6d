package dev.jobqueue.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The storage's database objects: their quoted, qualified names, and the versioned migrations
 * that create them. {@link #migrate} runs the missing migrations in one transaction under a
 * transaction-scoped advisory lock keyed by schema and prefix, so processes that start together
 * wait for each other instead of racing, and a crash mid-migration leaves nothing half-made.
 *
 * <p>States are stored as {@code JobState.ordinal()} (QUEUED 0, DELAYED 1, PROCESSING 2, FAILING 3,
 * COMPLETED 4, FAILED 5, CANCELLED 6); every time is epoch milliseconds ({@code bigint}) from the
 * database clock. Each partial index serves one state's claim or listing order.
 */
final class Schema {
    /** The newest schema version this code knows. */
    static final int VERSION = 3;
    /**
     * Texts up to this many UTF-8 bytes are their own key; longer ones are keyed by their SHA-256.
     * Two keys of at most this size fit a btree index row (2,704 bytes at most).
     */
    static final int KEY_TEXT_BYTES = 1024;
    /** Counter rows per queue (the counters table of migration 2). */
    static final int COUNTER_SHARDS = 16;

    final String schema;
    final String prefix;
    final String jobs;
    final String queues;
    final String locks;
    final String counters;
    final String migrations;
    final String sequence;
    /** Recurring schedule records (migration 3, {@link Schedules}). */
    final String schedules;
    /** Flow-control settings per queue: limits and throttle (migration 3, {@link FlowControl}). */
    final String limits;
    /** Claims of rate-limited queues in their rate window (migration 3, {@link FlowControl}). */
    final String rateLog;
    /**
     * The key function: a text of at most {@link #KEY_TEXT_BYTES} UTF-8 bytes itself, a longer one
     * U+0001 'h' and its SHA-256 in hex. {@link Text#encode} never writes U+0001 before an 'h', so the
     * two kinds never meet; equal keys mean equal texts (for long texts: barring a SHA-256 collision).
     * Every index and lookup on a job id, queue name or lock name goes through it, which keeps index
     * rows bounded whatever the length of the names CheckedStorage allows (up to ~3 KiB UTF-8).
     */
    final String key;
    /** The NOTIFY channel of this schema and prefix (one per storage configuration). */
    final String channel;

    Schema(String schema, String prefix) {
        this.schema = schema;
        this.prefix = prefix;
        this.jobs = name(prefix + "jobs");
        this.queues = name(prefix + "queues");
        this.locks = name(prefix + "locks");
        this.counters = name(prefix + "counters");
        this.migrations = name(prefix + "migrations");
        this.sequence = name(prefix + "seq");
        this.schedules = name(prefix + "schedules");
        this.limits = name(prefix + "limits");
        this.rateLog = name(prefix + "rate_log");
        this.key = name(prefix + "key");
        this.channel = "jobqueue_" + Long.toHexString(fnv1a64(schema + "." + prefix));
    }

    /** Schema and prefix are validated identifiers; quoting keeps their case and any reserved word safe. */
    private String name(String table) {
        return quote(schema) + "." + quote(table);
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** For index names, which live in the table's schema and are given unqualified. */
    private String index(String suffix) {
        return quote(prefix + suffix);
    }

    /** A partial or primary index name, qualified for DROP INDEX. */
    private String qualifiedIndex(String suffix) {
        return quote(schema) + "." + index(suffix);
    }

    private List<String> migration(int version) {
        switch (version) {
            case 1:
                return version1();
            case 2:
                return version2();
            case 3:
                return version3();
            default:
                throw new IllegalStateException("no migration " + version);
        }
    }

    /**
     * Version 2: bounded keys ({@link #key}) instead of the texts in every index, so that ids and
     * names near the allowed maximum fit; an existing version 1 schema is converted in place (its
     * tables rewritten once, under the migration lock, every row kept).
     */
    private List<String> version2() {
        String keyed = " text COLLATE \"C\" GENERATED ALWAYS AS (" + key + "(%s)) STORED";
        return List.of(
                "CREATE FUNCTION " + key + "(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS"
                        + " $k$ SELECT CASE WHEN octet_length(t) <= " + KEY_TEXT_BYTES + " THEN t"
                        + " ELSE chr(1) || 'h' || encode(sha256(convert_to(t, 'UTF8')), 'hex') END $k$",
                "ALTER TABLE " + jobs + " ADD COLUMN qkey" + String.format(keyed, "queue")
                        + ", ADD COLUMN ikey" + String.format(keyed, "id"),
                dropPrimaryKey(jobs),
                "ALTER TABLE " + jobs + " ADD PRIMARY KEY (qkey, ikey)",
                "DROP INDEX " + qualifiedIndex("jobs_ready"),
                "DROP INDEX " + qualifiedIndex("jobs_due"),
                "DROP INDEX " + qualifiedIndex("jobs_lease"),
                "DROP INDEX " + qualifiedIndex("jobs_terminal"),
                "CREATE INDEX " + index("jobs_ready") + " ON " + jobs + " (qkey, priority DESC, seq) WHERE state = 0",
                "CREATE INDEX " + index("jobs_due") + " ON " + jobs + " (qkey, state, due_at, seq) WHERE state IN (1, 3)",
                "CREATE INDEX " + index("jobs_lease") + " ON " + jobs + " (qkey, lease_until, seq) WHERE state = 2",
                "CREATE INDEX " + index("jobs_terminal") + " ON " + jobs + " (qkey, state, expires_at, seq) WHERE state >= 4",
                "ALTER TABLE " + queues + " ADD COLUMN qkey" + String.format(keyed, "queue"),
                dropPrimaryKey(queues),
                "ALTER TABLE " + queues + " ADD PRIMARY KEY (qkey)",
                "ALTER TABLE " + locks + " ADD COLUMN qkey" + String.format(keyed, "queue")
                        + ", ADD COLUMN nkey" + String.format(keyed, "name"),
                dropPrimaryKey(locks),
                "ALTER TABLE " + locks + " ADD PRIMARY KEY (qkey, nkey)",
                // finishedTotals: sharded by the finishing session (pg_backend_pid() % COUNTER_SHARDS), so
                // workers completing batches concurrently do not queue on one row lock; summed on read
                "CREATE TABLE " + counters + " (queue text COLLATE \"C\" NOT NULL, qkey" + String.format(keyed, "queue") + ","
                        + " shard smallint NOT NULL, completed bigint NOT NULL DEFAULT 0, failed bigint NOT NULL DEFAULT 0,"
                        + " PRIMARY KEY (qkey, shard))");
    }

    /**
     * Version 3: recurring schedules, per-queue flow control (limits, throttle) and the rate log of
     * rate-limited queues. Only new tables: an existing version 2 schema keeps every row. Keys are
     * bounded like the jobs' ({@link #key}); times are epoch milliseconds of the database clock.
     */
    private List<String> version3() {
        String keyed = " text COLLATE \"C\" GENERATED ALWAYS AS (" + key + "(%s)) STORED";
        return List.of(
                // next_fire_ns: the nanoseconds within next_fire_at's millisecond, so an Instant comes back exactly
                "CREATE TABLE " + schedules + " (queue text COLLATE \"C\" NOT NULL, qkey" + String.format(keyed, "queue") + ","
                        + " id text COLLATE \"C\" NOT NULL, ikey" + String.format(keyed, "id") + ","
                        + " definition bytea NOT NULL, next_fire_at bigint NOT NULL, next_fire_ns integer NOT NULL DEFAULT 0,"
                        + " version bigint NOT NULL, PRIMARY KEY (qkey, ikey))",
                // dueSchedules: the due ones, earliest first, without reading the others
                "CREATE INDEX " + index("schedules_due") + " ON " + schedules + " (qkey, next_fire_at, ikey)",
                // one row per queue with limits or a throttle; 0 means no limit
                "CREATE TABLE " + limits + " (queue text COLLATE \"C\" NOT NULL, qkey" + String.format(keyed, "queue") + " PRIMARY KEY,"
                        + " max_running integer NOT NULL DEFAULT 0, rate_limit integer NOT NULL DEFAULT 0,"
                        + " rate_period_ms bigint, throttled_until bigint)",
                // one row per claim of a rate-limited queue: when, and how many jobs it took
                "CREATE TABLE " + rateLog + " (qkey text COLLATE \"C\" NOT NULL, claimed_at bigint NOT NULL, n integer NOT NULL)",
                "CREATE INDEX " + index("rate_log_window") + " ON " + rateLog + " (qkey, claimed_at)");
    }

    /** Drops a table's primary key under whatever name PostgreSQL gave it (long prefixes get truncated names). */
    private static String dropPrimaryKey(String table) {
        String literal = "'" + table.replace("'", "''") + "'";
        return "DO $d$ DECLARE n text; BEGIN"
                + " SELECT conname INTO n FROM pg_constraint WHERE conrelid = " + literal + "::regclass AND contype = 'p';"
                + " EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', " + literal + ", n); END $d$";
    }

    private List<String> version1() {
        return List.of(
                "CREATE SEQUENCE IF NOT EXISTS " + sequence,
                "CREATE TABLE " + jobs + " ("
                        + " queue text COLLATE \"C\" NOT NULL,"
                        + " id text COLLATE \"C\" NOT NULL,"
                        + " seq bigint NOT NULL,"
                        + " state smallint NOT NULL,"
                        + " priority integer NOT NULL,"
                        + " payload bytea,"
                        + " metadata bytea,"
                        + " created_at bigint NOT NULL,"
                        + " due_at bigint,"
                        + " ready_at bigint,"
                        + " lease_until bigint,"
                        + " worker_id text,"
                        + " token bigint NOT NULL DEFAULT 0,"
                        + " attempts integer NOT NULL DEFAULT 0,"
                        + " max_attempts integer NOT NULL,"
                        + " stalls integer NOT NULL DEFAULT 0,"
                        + " max_stalls integer NOT NULL,"
                        + " result_ttl bigint NOT NULL,"
                        + " result bytea,"
                        + " error bytea,"
                        + " expires_at bigint,"
                        + " started_at bigint,"
                        + " finished_at bigint,"
                        + " notify boolean NOT NULL DEFAULT false,"
                        + " PRIMARY KEY (queue, id))",
                // claim order: priority, then FIFO
                "CREATE INDEX " + index("jobs_ready") + " ON " + jobs + " (queue, priority DESC, seq) WHERE state = 0",
                // promotion of due DELAYED/FAILING jobs, and their listing by due time
                "CREATE INDEX " + index("jobs_due") + " ON " + jobs + " (queue, state, due_at, seq) WHERE state IN (1, 3)",
                // the reaper's expired leases, and listing PROCESSING by lease deadline
                "CREATE INDEX " + index("jobs_lease") + " ON " + jobs + " (queue, lease_until, seq) WHERE state = 2",
                // result expiry clean-up, and listing terminal states by expiry
                "CREATE INDEX " + index("jobs_terminal") + " ON " + jobs + " (queue, state, expires_at, seq) WHERE state >= 4",
                "CREATE TABLE " + queues + " (queue text COLLATE \"C\" PRIMARY KEY, paused boolean NOT NULL DEFAULT false)",
                "CREATE TABLE " + locks + " (queue text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL,"
                        + " owner text NOT NULL, expires_at bigint NOT NULL, PRIMARY KEY (queue, name))");
    }

    /** Creates the schema when missing and applies the migrations it lacks, atomically. */
    void migrate(Connection c) throws SQLException {
        migrate(c, VERSION);
    }

    /** Applies the missing migrations up to {@code target} (tests build older schemas with it). */
    void migrate(Connection c, int target) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, fnv1a64("dev.jobqueue.postgres migrate " + schema));
                lock.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
                s.execute("CREATE TABLE IF NOT EXISTS " + migrations
                        + " (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
                int current;
                try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + migrations)) {
                    rs.next();
                    current = rs.getInt(1);
                }
                if (current > VERSION) {
                    throw new SQLException("schema " + schema + " (prefix '" + prefix + "') is at version " + current
                            + ", newer than this library's " + VERSION + ": upgrade job-queue-postgres");
                }
                for (int v = current + 1; v <= target; v++) {
                    for (String ddl : migration(v)) {
                        s.execute(ddl);
                    }
                    s.execute("INSERT INTO " + migrations + " (version) VALUES (" + v + ")");
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h & Long.MAX_VALUE;
    }
}
