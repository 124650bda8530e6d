package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.EnqueueResult;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.spi.ClaimedJob;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactional enqueue with plain JDBC: through {@link PostgresStorage#joinTransaction} the
 * typed Queue's enqueue joins the caller's transaction, so the job (and its dedup entry and
 * wake-up) exists if and only if the caller commits.
 */
class PostgresTransactionalEnqueueTest {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final String queueName = "tx-" + UUID.randomUUID();
    private PostgresStorage storage;
    private Queue<String, String> queue;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        storage = database.create(Clock.systemUTC());
        queue = Queue.builder(storage, String.class, String.class).name(queueName).build();
        pool = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        queue.close();
        storage.close();
        database.dropAll();
    }

    @Test
    void commitMakesTheJobExistWakesAWaitingClaimAndItRunsWithTheCallersRow() throws Exception {
        Future<List<ClaimedJob>> waiting = pool.submit(
                () -> storage.claim(queueName, "w", 1, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        try (Connection c = PostgresTestDatabase.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + Schema.quote(storage.schema()) + ".orders (id text PRIMARY KEY)");
                s.execute("INSERT INTO " + Schema.quote(storage.schema()) + ".orders VALUES ('o-1')");
            }
            // closed explicitly: the scope is used only for its end (a try-with-resources would leave it unreferenced)
            TransactionScope tx = storage.joinTransaction(c);
            try {
                assertEquals(EnqueueResult.Kind.QUEUED, queue.enqueue("o-1", "payload").kind());
                // inside the transaction the job is visible to the caller ...
                assertEquals(JobState.QUEUED, storage.status(queueName, "o-1").orElseThrow().state());
            } finally {
                tx.close();
            }
            // ... and to nobody else before the commit
            assertTrue(storage.status(queueName, "o-1").isEmpty(), "job visible before commit");
            Thread.sleep(200);
            assertFalse(waiting.isDone(), "a claim got something before the commit");
            c.commit();
        }
        List<ClaimedJob> got = waiting.get(30, TimeUnit.SECONDS);
        assertEquals(1, got.size(), "the commit's NOTIFY woke the waiting claim");
        assertEquals("o-1", got.get(0).id());
    }

    @Test
    void rollbackLeavesNoJobNoDedupEntryAndNoWake() throws Exception {
        try (Connection c = PostgresTestDatabase.connect()) {
            c.setAutoCommit(false);
            // closed explicitly: the scope is used only for its end (a try-with-resources would leave it unreferenced)
            TransactionScope tx = storage.joinTransaction(c);
            try {
                queue.enqueue("o-2", "payload");
            } finally {
                tx.close();
            }
            c.rollback();
        }
        assertTrue(storage.status(queueName, "o-2").isEmpty());
        assertEquals(0L, storage.counts(queueName).get(JobState.QUEUED));
        assertTrue(storage.claim(queueName, "w", 10, Duration.ofSeconds(30), Duration.ZERO).isEmpty());
        // no dedup entry: the same id is new again
        assertEquals(EnqueueResult.Kind.QUEUED, queue.enqueue("o-2", "again").kind());
        assertEquals(1L, storage.counts(queueName).get(JobState.QUEUED));
    }

    @Test
    void theScopeBindsOnlyItsThreadAndEndsOnClose() throws Exception {
        try (Connection c = PostgresTestDatabase.connect()) {
            c.setAutoCommit(false);
            // closed explicitly: the scope is used only for its end (a try-with-resources would leave it unreferenced)
            TransactionScope tx = storage.joinTransaction(c);
            try {
                assertThrows(IllegalStateException.class, () -> storage.joinTransaction(c));
                // another thread's enqueue commits on its own
                pool.submit(() -> queue.enqueue("other-thread", "p")).get(30, TimeUnit.SECONDS);
            } finally {
                tx.close();
            }
            c.rollback();
        }
        assertTrue(storage.status(queueName, "other-thread").isPresent());
        queue.enqueue("after-scope", "p"); // scope closed: auto-commit on the storage's pool again
        assertTrue(storage.status(queueName, "after-scope").isPresent());
        assertThrows(IllegalArgumentException.class, () -> storage.joinTransaction(null));
    }
}
