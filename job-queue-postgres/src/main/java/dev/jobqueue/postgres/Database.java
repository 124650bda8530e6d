package dev.jobqueue.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * Where an operation's statements run: on the connection the calling thread bound with
 * {@link PostgresStorage#joinTransaction} (never committed here), on a pooled connection that is
 * already inside the caller's transaction (auto-commit off, e.g. Spring's
 * {@code TransactionAwareDataSourceProxy}; also never committed here), or on a pooled auto-commit
 * connection, where a multi-statement operation gets its own transaction. Deadlocks and
 * serialization failures of the storage's own transactions are retried a few times.
 *
 * <p>A lost connection (SQLState class 08, or 57P01-57P03: the session was terminated or the server
 * is shutting down or starting) makes the pool drop its idle connections ({@code connectionLost}),
 * because a server restart or {@code pg_terminate_backend} ends them all while the pool may still
 * think them fresh. Only {@linkplain #read reads} are then tried once more: a write whose reply
 * was lost may have committed, and running it again would misreport it (an enqueue would answer
 * DUPLICATE for the job it created; a complete would answer "lease lost" for the completion it
 * made, since its fencing token no longer matches a PROCESSING row). Such a write fails, and the
 * caller (or the core's retry, or the reaper for a claim) sees the failure.
 */
final class Database {
    private static final int ATTEMPTS = 3;

    /** One operation's statements on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Runnable connectionLost;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();
    /** The calling thread's latest enqueueAsync, which its later blocking calls must follow. */
    private final ThreadLocal<CompletableFuture<?>> ownAsync = new ThreadLocal<>();

    Database(DataSource dataSource, Clock clock, Runnable connectionLost) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.connectionLost = connectionLost;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** "now" for a statement: null means the database's clock ({@code clock_timestamp()}). */
    Long now() {
        return clock == null ? null : clock.millis();
    }

    TransactionScope bind(Connection connection) {
        if (connection == null) {
            throw new IllegalArgumentException("connection must not be null");
        }
        if (bound.get() != null) {
            throw new IllegalStateException("this thread already joined a transaction on this storage");
        }
        bound.set(connection);
        Thread owner = Thread.currentThread();
        return () -> {
            if (Thread.currentThread() == owner && bound.get() == connection) {
                bound.remove();
            }
        };
    }

    /** Remembers the thread's latest async enqueue (see {@link #awaitOwnAsync}). */
    void noteAsync(CompletableFuture<?> future) {
        ownAsync.set(future);
    }

    /**
     * Program order: a blocking call takes effect after the async enqueues its thread issued
     * before it. The async enqueues run first in first out, so waiting for the latest suffices.
     */
    private void awaitOwnAsync() {
        CompletableFuture<?> latest = ownAsync.get();
        if (latest != null) {
            ownAsync.remove();
            try {
                latest.join();
            } catch (RuntimeException failedOnItsOwn) {
                // its caller holds the future and sees the failure; this call goes on
            }
        }
    }

    boolean inCallerTransaction() {
        return bound.get() != null;
    }

    /** Runs one statement (or several that need not be atomic together). */
    <T> T single(String what, Work<T> work) {
        return run(what, false, work);
    }

    /**
     * Runs a read-only statement, tried once more on a fresh connection when the connection was
     * lost (reading twice changes nothing).
     */
    <T> T read(String what, Work<T> work) {
        return run(what, false, work, false, true);
    }

    /** Runs several statements atomically. */
    <T> T atomic(String what, Work<T> work) {
        return run(what, true, work);
    }

    /** Runs on a pooled connection, never the caller's transaction (claims, which may wait). */
    <T> T pooled(String what, Work<T> work) {
        return run(what, false, work, true, false);
    }

    private <T> T run(String what, boolean atomic, Work<T> work) {
        return run(what, atomic, work, false, false);
    }

    private <T> T run(String what, boolean atomic, Work<T> work, boolean ignoreBound, boolean idempotent) {
        awaitOwnAsync();
        Connection joined = ignoreBound ? null : bound.get();
        if (joined != null) {
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw failure(what, e);
            }
        }
        boolean reconnected = false;
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                if (!atomic || !c.getAutoCommit()) {
                    return work.run(c);
                }
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && isRetryable(e)) {
                    continue;
                }
                if (isConnectionLost(e)) {
                    connectionLost.run();
                    if (idempotent && !reconnected) {
                        reconnected = true;
                        continue;
                    }
                }
                throw failure(what, e);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Deadlock detected, serialization failure: the transaction did nothing and may run again. */
    private static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    /** The session is gone (08xxx), terminated by an administrator (57P01), or the server is stopping or starting (57P02, 57P03). */
    static boolean isConnectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || "57P01".equals(state) || "57P02".equals(state) || "57P03".equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    static PostgresStorageException failure(String what, SQLException e) {
        return new PostgresStorageException("PostgreSQL " + what + " failed: " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }
}
