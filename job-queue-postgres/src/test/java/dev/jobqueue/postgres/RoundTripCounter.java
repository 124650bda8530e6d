package dev.jobqueue.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Counts what a storage sends to PostgreSQL from one thread, through a {@link DataSource} proxy:
 * round trips (every execute, commit and rollback is one) and SQL statements (a multi-statement
 * execute counts each). Only the counting thread's calls count, not the LISTEN thread's pings or
 * after-commit wake-ups. For the cost tests behind the README's tables.
 */
final class RoundTripCounter {
    private static final Set<String> ROUND_TRIPS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeBatch", "executeLargeUpdate", "commit", "rollback");

    /** What one measured call sent. */
    record Cost(int roundTrips, int statements) {
    }

    private final AtomicInteger roundTrips = new AtomicInteger();
    private final AtomicInteger statements = new AtomicInteger();
    private final Thread caller;

    /** Counts the calls of the thread that creates the counter. */
    RoundTripCounter() {
        this.caller = Thread.currentThread();
    }

    /** {@code target} behind the counting proxy. */
    DataSource wrap(DataSource target) {
        return proxy(DataSource.class, target, null);
    }

    /** Runs {@code op} and returns what it sent. */
    Cost measure(Runnable op) {
        int trips = roundTrips.get();
        int stmts = statements.get();
        op.run();
        return new Cost(roundTrips.get() - trips, statements.get() - stmts);
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T target, String preparedSql) {
        InvocationHandler h = (p, m, args) -> {
            if (ROUND_TRIPS.contains(m.getName()) && Thread.currentThread() == caller) {
                roundTrips.incrementAndGet();
                if (m.getName().startsWith("execute")) {
                    String text = preparedSql != null ? preparedSql
                            : args != null && args.length > 0 && args[0] instanceof String s ? s : "";
                    statements.addAndGet(text.split(";\n").length);
                }
            }
            Object result;
            try {
                result = m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof PreparedStatement ps && m.getReturnType() == PreparedStatement.class) {
                return proxy(PreparedStatement.class, ps, (String) args[0]);
            }
            if (result instanceof Statement st && m.getReturnType() == Statement.class) {
                return proxy(Statement.class, st, null);
            }
            if (result instanceof Connection c && m.getReturnType() == Connection.class) {
                return proxy(Connection.class, c, null);
            }
            return result;
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }
}
