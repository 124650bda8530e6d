package dev.jobqueue.benchmarks;

import dev.jobqueue.postgres.PostgresStorage;
import dev.jobqueue.spi.Storage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link PostgresStorage} (with its own pool, from the JDBC URL) in a fresh schema per workload
 * ({@code jqbench_<run>_<workload>}); afterwards exactly those schemas are dropped. The result line
 * records the server's durability settings, so that a row measured with relaxed settings shows it.
 * With {@code countStatements} the storage borrows from a {@link CountingDataSource} instead of
 * owning its pool, and the result line gets the counts per workload. With the environment
 * variable {@code BENCH_PG_ASYNC_COMPLETIONS=1} the storage commits completions without waiting
 * for the WAL flush (the opt-in {@code asynchronousCompletionCommit}; the result line says so).
 */
final class PostgresStorages implements StorageFactory {
    private final String jdbcUrl;
    private final String runSchemaPrefix;
    private final List<String> schemas = new ArrayList<>();
    private final boolean countStatements;
    private final Map<String, CountingDataSource> counted = new LinkedHashMap<>();
    private final boolean asyncCompletions = "1".equals(System.getenv("BENCH_PG_ASYNC_COMPLETIONS"));

    PostgresStorages(String jdbcUrl, String runId, boolean countStatements) {
        this.jdbcUrl = jdbcUrl;
        this.countStatements = countStatements;
        this.runSchemaPrefix = "jqbench_" + runId.toLowerCase(Locale.ROOT);
    }

    @Override
    public Storage create(String tag) {
        String schema = runSchemaPrefix + "_" + tag.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        schemas.add(schema);
        if (countStatements) {
            // the storage's own pool has 8 connections; one more for its LISTEN connection
            CountingDataSource ds = new CountingDataSource(jdbcUrl, 9);
            counted.put(tag, ds);
            return PostgresStorage.builder().dataSource(ds).schema(schema)
                    .asynchronousCompletionCommit(asyncCompletions).build();
        }
        return PostgresStorage.builder().jdbcUrl(jdbcUrl).schema(schema).asynchronousCompletionCommit(asyncCompletions).build();
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("pg_url", withoutPassword(jdbcUrl));
        facts.put("schema_prefix", runSchemaPrefix + "_");
        facts.put("pg_async_completion_commit", asyncCompletions);
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement st = c.createStatement()) {
            facts.put("pg_version", c.getMetaData().getDatabaseProductVersion());
            facts.put("driver", "pgjdbc " + c.getMetaData().getDriverVersion());
            for (String setting : List.of("synchronous_commit", "fsync", "wal_sync_method", "commit_delay",
                    "shared_buffers", "max_connections")) {
                try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
                    rs.next();
                    facts.put("pg_" + setting, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            facts.put("pg_facts_error", e.getMessage());
        }
        return facts;
    }

    @Override
    public Map<String, Object> cleanup() throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (countStatements) {
            Map<String, Object> byWorkload = new LinkedHashMap<>();
            counted.forEach((tag, ds) -> {
                byWorkload.put(tag, ds.counts());
                ds.close();
            });
            counted.clear();
            out.put("pg_client_counts", byWorkload);
        }
        int dropped = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement st = c.createStatement()) {
            for (String schema : schemas) {
                st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                dropped++;
            }
        }
        schemas.clear();
        out.put("cleanup_dropped_schemas", dropped);
        return out;
    }

    /** The URL for the result line, without a password parameter. */
    static String withoutPassword(String url) {
        return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }
}
