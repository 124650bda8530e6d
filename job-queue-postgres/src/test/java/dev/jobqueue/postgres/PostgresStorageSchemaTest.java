package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.NewJob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Schema creation and migration (concurrent starts, prefixes, a newer schema), builder
 * validation, and ids PostgreSQL text cannot hold as such (U+0000) next to their look-alikes.
 */
class PostgresStorageSchemaTest {
    private final PostgresTestDatabase database = new PostgresTestDatabase();

    @AfterEach
    void dropSchemas() {
        database.dropAll();
    }

    @Test
    void processesStartingTogetherMigrateOnceAndAllWork() throws Exception {
        String schema = database.newSchema();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<PostgresStorage> storages = new ArrayList<>();
        try {
            List<Callable<PostgresStorage>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(() -> PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL).poolSize(1).schema(schema).build());
            }
            for (Future<PostgresStorage> f : pool.invokeAll(starts, 60, TimeUnit.SECONDS)) {
                storages.add(f.get());
            }
            storages.get(0).enqueue("q", job("a"));
            assertEquals(JobState.QUEUED, storages.get(3).status("q", "a").orElseThrow().state());
            try (Connection c = PostgresTestDatabase.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), max(version) FROM " + Schema.quote(schema) + ".jq_migrations")) {
                rs.next();
                assertEquals(Schema.VERSION, rs.getInt(1), "each migration applied once");
                assertEquals(Schema.VERSION, rs.getInt(2));
            }
        } finally {
            storages.forEach(PostgresStorage::close);
            pool.shutdownNow();
        }
    }

    @Test
    void twoPrefixesInOneSchemaAreIndependentStorages() {
        String schema = database.newSchema();
        try (PostgresStorage a = database.builder(null).schema(schema).tablePrefix("").build();
             PostgresStorage b = database.builder(null).schema(schema).tablePrefix("Other_").build()) {
            a.enqueue("q", job("x"));
            assertTrue(b.status("q", "x").isEmpty());
            assertTrue(b.enqueue("q", job("x")).created());
            assertEquals("Other_", b.tablePrefix());
            assertEquals(schema, b.schema());
        }
    }

    @Test
    void aSchemaNewerThanTheLibraryIsRefused() throws Exception {
        String schema = database.newSchema();
        database.builder(null).schema(schema).build().close();
        try (Connection c = PostgresTestDatabase.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + Schema.quote(schema) + ".jq_migrations (version) VALUES (" + (Schema.VERSION + 1) + ")");
        }
        PostgresStorageException e = assertThrows(PostgresStorageException.class,
                () -> database.builder(null).schema(schema).build());
        assertTrue(e.getMessage().contains("newer than this library"), e.getMessage());
    }

    @Test
    void builderRejectsBadNamesAndCombinations() {
        PostgresStorage.Builder b = PostgresStorage.builder();
        for (String bad : new String[] {"", "1abc", "a-b", "a\"b", "a b", "x".repeat(41), null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.schema(bad));
            assertTrue(e.getMessage().startsWith("schema"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> b.tablePrefix("a;drop"));
        assertThrows(IllegalArgumentException.class, () -> b.jdbcUrl("jdbc:mysql://x"));
        assertThrows(IllegalArgumentException.class, () -> b.poolSize(0));
        assertThrows(IllegalArgumentException.class, () -> PostgresStorage.builder().build());
        assertThrows(IllegalArgumentException.class, () -> PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL)
                .dataSource(new org.postgresql.ds.PGSimpleDataSource()).build());
        b.schema("Select").tablePrefix(""); // a reserved word, quoted: accepted
    }

    @Test
    void idsWithNulAndTheEscapeCharacterStayDistinct() throws Exception {
        try (PostgresStorage s = database.create(null)) {
            String[] ids = {"a\u0000b", "a\u00010b", "a\u0001b", "\u0000", "\u0001", "\u00010", "a"};
            for (String id : ids) {
                assertTrue(s.enqueue("q\u0000", job(id)).created(), id);
            }
            for (String id : ids) {
                assertEquals(id, s.status("q\u0000", id).orElseThrow().id());
            }
            assertTrue(s.status("q\u00010", "a").isEmpty(), "queue names escaped apart too");
            List<ClaimedJob> claimed = s.claim("q\u0000", "w\u0000", 10, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(List.of(ids), claimed.stream().map(ClaimedJob::id).toList());
            assertFalse(s.isPaused("q\u0000"));
        }
    }

    @Test
    void aPopulatedVersion1SchemaMigratesInPlaceKeepingEveryJob() throws Exception {
        String schema = database.newSchema();
        Schema names = new Schema(schema, "jq_"); // the default table prefix
        try (Connection c = PostgresTestDatabase.connect(); Statement st = c.createStatement()) {
            names.migrate(c, 1);
            // rows as version 1 code wrote them: a queued job, a delayed one, a completed one, a paused queue, a lock
            st.execute("INSERT INTO " + names.jobs + " (queue, id, seq, state, priority, payload, created_at, ready_at,"
                    + " due_at, max_attempts, max_stalls, result_ttl, expires_at, result) VALUES"
                    + " ('old', 'queued-1', 1, 0, 0, '\\x01', 1, 1, NULL, 3, 3, 3600000, NULL, NULL),"
                    + " ('old', 'delayed-1', 2, 1, 0, '\\x02', 1, NULL, 9000000000000, 3, 3, 3600000, NULL, NULL),"
                    + " ('old', 'done-1', 3, 4, 0, '\\x03', 1, 1, NULL, 3, 3, 3600000, 9000000000000, '\\x04'),"
                    + " ('paused', 'p-1', 4, 0, 0, '\\x05', 1, 1, NULL, 3, 3, 3600000, NULL, NULL)");
            st.execute("INSERT INTO " + names.queues + " (queue, paused) VALUES ('paused', true)");
            st.execute("INSERT INTO " + names.locks + " (queue, name, owner, expires_at) VALUES ('old', 'reaper', 'someone', 9000000000000)");
            st.execute("SELECT setval('" + names.sequence + "', 10)");
        }
        try (PostgresStorage s = PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL).poolSize(2).schema(schema).build()) {
            assertEquals(JobState.DELAYED, s.status("old", "delayed-1").orElseThrow().state());
            assertEquals(JobState.COMPLETED, s.status("old", "done-1").orElseThrow().state());
            assertFalse(s.enqueue("old", job("queued-1")).created(), "the migrated row still deduplicates");
            assertTrue(s.isPaused("paused"));
            assertFalse(s.acquireLock("old", "reaper", "me", Duration.ofSeconds(5)), "the migrated lock is still held");
            List<ClaimedJob> claimed = s.claim("old", "w", 10, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(List.of("queued-1"), claimed.stream().map(ClaimedJob::id).toList());
            assertTrue(s.enqueue("old", job("new-1")).created());
            try (Connection c = PostgresTestDatabase.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT max(version) FROM " + names.migrations)) {
                rs.next();
                assertEquals(Schema.VERSION, rs.getInt(1));
            }
        }
    }

    @Test
    void idsAndQueueNamesOfTheLongestAllowedLengthInThreeByteUtf8WorkAndStayDistinct() throws Exception {
        String longQueue = "\u20ac".repeat(1024);
        String longId = "\u20ac".repeat(1024);
        String almost = "\u20ac".repeat(1023) + "x";
        try (PostgresStorage s = database.create(null)) {
            assertTrue(s.enqueue(longQueue, job(longId)).created());
            assertTrue(s.enqueue(longQueue, job(almost)).created());
            assertFalse(s.enqueue(longQueue, job(longId)).created());
            assertEquals(longId, s.status(longQueue, longId).orElseThrow().id());
            assertTrue(s.status(longQueue.substring(1), longId).isEmpty());
            assertTrue(s.setPaused(longQueue, true));
            assertTrue(s.setPaused(longQueue, false));
            assertTrue(s.acquireLock(longQueue, longId, "me", Duration.ofSeconds(5)));
            List<ClaimedJob> claimed = s.claim(longQueue, "w", 10, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(List.of(longId, almost), claimed.stream().map(ClaimedJob::id).toList());
        }
    }

    private static NewJob job(String id) {
        return new NewJob(id, new byte[] {1}, 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false);
    }
}
