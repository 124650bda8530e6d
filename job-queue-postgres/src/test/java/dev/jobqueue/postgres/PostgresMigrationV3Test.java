package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A populated version 2 schema (the previous release) migrates to version 3 keeping every row. */
class PostgresMigrationV3Test {
    private final PostgresTestDatabase database = new PostgresTestDatabase();

    @AfterEach
    void dropSchemas() {
        database.dropAll();
    }

    @Test
    void aPopulatedVersion2SchemaGainsTheScheduleAndLimitTablesAndKeepsItsData() throws Exception {
        String schema = database.newSchema();
        Schema names = new Schema(schema, "jq_");
        try (Connection c = PostgresTestDatabase.connect(); Statement st = c.createStatement()) {
            names.migrate(c, 2);
            // rows as version 2 code wrote them (the key columns are generated)
            st.execute("INSERT INTO " + names.jobs + " (queue, id, seq, state, priority, payload, created_at, ready_at,"
                    + " due_at, max_attempts, max_stalls, result_ttl, expires_at, result) VALUES"
                    + " ('old', 'queued-1', 1, 0, 0, '\\x01', 1, 1, NULL, 3, 3, 3600000, NULL, NULL),"
                    + " ('old', 'queued-2', 2, 0, 0, '\\x02', 1, 1, NULL, 3, 3, 3600000, NULL, NULL),"
                    + " ('old', 'done-1', 3, 4, 0, '\\x03', 1, 1, NULL, 3, 3, 3600000, 9000000000000, '\\x04')");
            st.execute("INSERT INTO " + names.queues + " (queue, paused) VALUES ('paused', true)");
            st.execute("INSERT INTO " + names.counters + " (queue, shard, completed, failed) VALUES ('old', 0, 7, 2)");
            st.execute("SELECT setval('" + names.sequence + "', 10)");
        }
        try (PostgresStorage s = PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL).poolSize(2).schema(schema).build()) {
            try (Connection c = PostgresTestDatabase.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT array_agg(version ORDER BY version) FROM " + names.migrations)) {
                rs.next();
                assertEquals("{1,2,3}", rs.getString(1));
            }
            assertEquals(JobState.COMPLETED, s.status("old", "done-1").orElseThrow().state());
            assertEquals(new FinishedTotals(7, 2), s.finishedTotals("old"));
            assertTrue(s.isPaused("paused"));
            assertEquals(QueueLimits.NONE, s.limits("old"));
            assertTrue(s.listSchedules("old").isEmpty());
            s.setLimits("old", QueueLimits.NONE.withMaxRunning(1));
            List<ClaimedJob> claimed = s.claim("old", "w", 10, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(List.of("queued-1"), claimed.stream().map(ClaimedJob::id).toList(), "the new limit holds for old jobs");
            assertFalse(s.enqueue("old", new NewJob("queued-2", new byte[] {1}, 0, Duration.ZERO, null, 3, 3,
                    Duration.ofHours(1), false)).created(), "the migrated row still deduplicates");
            Instant at = Instant.now().minusSeconds(1);
            assertEquals(1, s.upsertSchedule("old", "nightly", new byte[] {1}, at).version());
            assertEquals(List.of("nightly"), s.dueSchedules("old", 5).stream().map(ScheduleRecord::id).toList());
        }
    }
}
