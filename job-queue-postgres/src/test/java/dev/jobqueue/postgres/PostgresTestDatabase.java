package dev.jobqueue.postgres;

import dev.jobqueue.contract.ManualClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The shared test database ({@code JOBQUEUE_PG_URL}, the one variable every PostgreSQL test and
 * the benchmarks read; default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}, trust) and the schemas this JVM's tests created there: each storage gets a fresh
 * {@code jqtest_<random>} schema, and {@link #dropAll} drops exactly those (CASCADE), never
 * anything else. A {@link ManualClock} is injected (testing aid); any other clock means database
 * time, as in production.
 */
final class PostgresTestDatabase {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String URL = url();

    private static String url() {
        String url = System.getenv("JOBQUEUE_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    private final List<String> schemas = new CopyOnWriteArrayList<>();

    /** A schema name no other test uses, remembered for {@link #dropAll}. */
    String newSchema() {
        String name = "jqtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        schemas.add(name);
        return name;
    }

    PostgresStorage.Builder builder(Clock clock) {
        PostgresStorage.Builder b = PostgresStorage.builder().jdbcUrl(URL).poolSize(4).schema(newSchema());
        if (clock instanceof ManualClock) {
            b.clock(clock);
        }
        return b;
    }

    PostgresStorage create(Clock clock) {
        return builder(clock).build();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL);
    }

    void drop(String schema) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + Schema.quote(schema) + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema, e);
        }
        schemas.remove(schema);
    }

    void dropAll() {
        for (String s : List.copyOf(schemas)) {
            drop(s);
        }
    }
}
