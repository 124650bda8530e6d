package dev.jobqueue.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A HikariCP pool that counts, per SQL text, the statements executed through it, and the commits,
 * rollbacks and connection checkouts: the client's side of "round trips per job" for the profiling
 * runs ({@code --pg-count-statements}). A statement prepared once and executed many times counts
 * each execution; an {@code executeBatch} counts once, with its SQL. Counting costs a little; the
 * timed rows use the storage's own pool.
 *
 * <pre>{@code
 * try (CountingDataSource ds = new CountingDataSource(jdbcUrl, 9)) {
 *     PostgresStorage storage = PostgresStorage.builder().dataSource(ds).schema("s").build();
 * }
 * }</pre>
 */
public final class CountingDataSource implements DataSource, AutoCloseable {
    private final HikariDataSource pool;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public CountingDataSource(String jdbcUrl, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("jqbench-counting");
        this.pool = new HikariDataSource(config);
    }

    /** Counts so far, largest first: {@code sql: <text>}, {@code commit}, {@code rollback}, {@code getConnection}. */
    Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private static String sqlKey(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return "sql: " + (oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine);
    }

    @Override
    public Connection getConnection() throws SQLException {
        count("getConnection");
        return wrap(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the counting pool has one user");
    }

    private Connection wrap(Connection real) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("commit") || name.equals("rollback")) {
                count(name);
            }
            Object result = invoke(real, method, args);
            if (result instanceof Statement st && args != null && args.length > 0 && args[0] instanceof String sql) {
                return wrap(st, sqlKey(sql));
            }
            if (result instanceof Statement st) {
                return wrap(st, null);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private Statement wrap(Statement real, String preparedSql) {
        Class<?> type = real instanceof CallableStatement ? CallableStatement.class
                : real instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute")) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? sqlKey(s) : preparedSql;
                count(name.equals("executeBatch") ? "batch " + sql : sql);
            }
            return invoke(real, method, args);
        };
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return pool.isWrapperFor(iface);
    }

    @Override
    public void close() {
        pool.close();
    }
}
