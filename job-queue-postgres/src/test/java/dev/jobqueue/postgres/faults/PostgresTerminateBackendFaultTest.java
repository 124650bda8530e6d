package dev.jobqueue.postgres.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code pg_terminate_backend} ends every server session of both storages (the pool's connections
 * and the LISTEN connection) three times while callers wait and a worker runs their jobs. Each
 * time the storages reconnect and LISTEN again by themselves: every caller gets its own result
 * (the producer runs no worker, so only its LISTEN connection can tell it), calls made after the
 * last round are answered too, and every job is COMPLETED. Only the backends of this test's two
 * application names are touched.
 */
class PostgresTerminateBackendFaultTest {
    private static final String SCHEMA = PgFaultServer.uniqueSchema("terminate");
    private static final int ROUNDS = 3;
    private static final int CALLS = 200;

    @AfterAll
    static void dropSchema() throws Exception {
        PgFaultServer.dropSchema(SCHEMA);
    }

    @Test
    void terminatedSessionsAreReplacedAndNotificationsResume() throws Exception {
        String queueName = "terminate";
        try (FaultQueues q = new FaultQueues(SCHEMA, queueName)) {
            for (int round = 0; round < ROUNDS; round++) {
                PostgresRestartFaultTest.awaitConnected(q.producerApp);
                PostgresRestartFaultTest.awaitConnected(q.workerApp);
                String prefix = "round" + round;
                int runsBefore = q.runs.get();
                List<CompletableFuture<String>> waiting = q.submit(prefix, CALLS);
                q.awaitEnqueued(queueName, (round + 1L) * CALLS);
                Eventually.await("a few jobs of " + prefix + " ran", Duration.ofSeconds(60), () -> q.runs.get() >= runsBefore + 10);
                int ended = PgFaultServer.terminateBackends(q.producerApp) + PgFaultServer.terminateBackends(q.workerApp);
                assertTrue(ended >= 2, "terminated at least the two LISTEN sessions, got " + ended);
                FaultQueues.assertResults(prefix, waiting);
            }
            // The producer has no worker: its callers are answered only through its LISTEN connection.
            PostgresRestartFaultTest.awaitConnected(q.producerApp);
            PostgresRestartFaultTest.awaitConnected(q.workerApp);
            FaultQueues.assertResults("after", q.submit("after", CALLS));
            assertEquals((ROUNDS + 1L) * CALLS, q.producerStorage.counts(queueName).get(JobState.COMPLETED));
            assertEquals(0L, q.producerStorage.counts(queueName).get(JobState.FAILED));
        }
    }
}
