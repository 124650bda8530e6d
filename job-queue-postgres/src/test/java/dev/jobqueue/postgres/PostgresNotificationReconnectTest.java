package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.TerminalListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In-process check of the LISTEN connection's recovery: after {@code pg_terminate_backend} of
 * this storage's own LISTEN session (found by its application name, which names this test's
 * schema), the storage LISTENs again, tells terminal listeners {@code onResubscribed()}, and a
 * claim waiting across the loss is still woken by a later enqueue. (Fault tests with separate
 * JVMs and database restarts live in the jq/postgres-ops test classes.)
 */
class PostgresNotificationReconnectTest {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void cleanUp() {
        pool.shutdownNow();
        database.dropAll();
    }

    @Test
    void terminatedListenSessionIsReplacedAndWaitersAreToldToRecheck() throws Exception {
        String schema = database.newSchema();
        try (PostgresStorage storage = database.builder(Clock.systemUTC()).schema(schema).build()) {
            AtomicInteger resubscribed = new AtomicInteger();
            storage.subscribe("q", new TerminalListener() {
                @Override
                public void onTerminal(String jobId, JobSnapshot snapshot) {
                }

                @Override
                public void onResubscribed() {
                    resubscribed.incrementAndGet();
                }
            });
            Future<List<ClaimedJob>> waiting = pool.submit(
                    () -> storage.claim("q", "w", 1, Duration.ofSeconds(30), Duration.ofSeconds(60)));
            assertEquals(1, terminateListenSession(schema));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (resubscribed.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(resubscribed.get() >= 1, "onResubscribed after the LISTEN session was terminated");
            storage.enqueue("q", new NewJob("after", new byte[] {1}, 0, Duration.ZERO, null, 1, 1,
                    Duration.ofMinutes(1), false));
            List<ClaimedJob> got = waiting.get(30, TimeUnit.SECONDS);
            assertEquals("after", got.get(0).id());
        }
    }

    private static int terminateListenSession(String schema) throws Exception {
        try (Connection c = PostgresTestDatabase.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, "jobqueue-listen " + schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
