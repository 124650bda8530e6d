package dev.jobqueue.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmarks' own connection to the PostgreSQL under test, for where the time goes per job:
 * transactions committed and rows touched in the database ({@code pg_stat_database}), WAL records,
 * bytes and fsyncs ({@code pg_stat_wal}), and the server's CPU (the {@code postgres} processes in
 * {@code /proc}, exited backends included through the postmaster's child times; local servers only).
 * The counters are server-wide: other clients of the same server add to them. Not thread-safe.
 *
 * <pre>{@code
 * try (PostgresAdmin admin = new PostgresAdmin("jdbc:postgresql://127.0.0.1:5432/test?user=postgres")) {
 *     Map<String, Long> before = admin.counters();
 * }
 * }</pre>
 */
public final class PostgresAdmin implements AutoCloseable {
    /** Backends report their statistics at most once a second (PGSTAT_MIN_INTERVAL), when idle. */
    private static final long STATS_FLUSH_MS = 1_100;
    private static final double CLOCK_TICKS_PER_MS = 100 / 1000.0; // USER_HZ on Linux

    private final Connection connection;

    public PostgresAdmin(String jdbcUrl) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl);
    }

    /** The counters now, after waiting for backends to report what they did (so a reading follows the work it measures). */
    Map<String, Long> counters() {
        try {
            Thread.sleep(STATS_FLUSH_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = st.executeQuery("SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted,"
                    + " tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                for (String column : new String[] {"xact_commit", "xact_rollback", "tup_returned", "tup_fetched",
                        "tup_inserted", "tup_updated", "tup_deleted"}) {
                    out.put(column, rs.getLong(column));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT wal_records, wal_bytes, wal_write, wal_sync FROM pg_stat_wal")) {
                rs.next();
                for (String column : new String[] {"wal_records", "wal_bytes", "wal_write", "wal_sync"}) {
                    out.put(column, rs.getLong(column));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading PostgreSQL statistics: " + e.getMessage(), e);
        }
        out.put("cpu_ms", serverCpuMs());
        return out;
    }

    /** {@code after - before} per counter, as {@code pg_<name>} keys. */
    static Map<String, Object> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            out.put("pg_" + e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return out;
    }

    /** CPU (user + sys) of every process named postgres, plus the children they reaped; -1 if /proc is unreadable. */
    private static long serverCpuMs() {
        long ticks = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                String stat;
                try {
                    stat = Files.readString(proc.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the process ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < 0 || !stat.substring(open + 1, close).equals("postgres")) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                // fields[0] is state (field 3); utime, stime, cutime, cstime are fields 14..17
                for (int f = 14; f <= 17; f++) {
                    ticks += Long.parseLong(fields[f - 3]);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return Math.round(ticks / CLOCK_TICKS_PER_MS);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
