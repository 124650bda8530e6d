package dev.jobqueue.postgres.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.Eventually;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL server is stopped (fast shutdown: every session ends, the LISTEN connections
 * too) and started again while callers wait for their jobs and a worker in another storage runs
 * them. The storages reconnect by themselves: every waiting caller gets its own result, every job
 * is COMPLETED, and after the restart both storages are connected again and calls made afterwards
 * are answered: the producer runs no worker, so its callers hear of outcomes only through its
 * LISTEN connection (a notification, or the status re-read after a re-LISTEN), which therefore
 * works again. The server is started again even when the test fails.
 */
class PostgresRestartFaultTest {
    private static final String SCHEMA = PgFaultServer.uniqueSchema("restart");
    private static final int BEFORE = 300;
    private static final int AFTER = 100;

    @BeforeAll
    static void needsLocalCluster() {
        PgFaultServer.assumeLocalCluster();
    }

    @AfterAll
    static void dropSchema() throws Exception {
        PgFaultServer.ensureRunning();
        PgFaultServer.dropSchema(SCHEMA);
    }

    @Test
    void waitingCallersGetTheirResultsAcrossAServerRestart() throws Exception {
        String queueName = "restart";
        try (FaultQueues q = new FaultQueues(SCHEMA, queueName)) {
            List<CompletableFuture<String>> waiting = q.submit("before", BEFORE);
            q.awaitEnqueued(queueName, BEFORE);
            Eventually.await("a few jobs ran before the restart", Duration.ofSeconds(60), () -> q.runs.get() >= 20);
            PgFaultServer.restart(Duration.ofSeconds(2));

            FaultQueues.assertResults("before", waiting);
            awaitConnected(q.producerApp);
            awaitConnected(q.workerApp);
            List<CompletableFuture<String>> later = q.submit("after", AFTER);
            FaultQueues.assertResults("after", later);

            assertEquals(BEFORE + AFTER, q.producerStorage.counts(queueName).get(JobState.COMPLETED));
            assertEquals(0L, q.producerStorage.counts(queueName).get(JobState.FAILED));
        } finally {
            PgFaultServer.ensureRunning();
        }
    }

    /** Waits until the storage with {@code applicationName} has server sessions again. */
    static void awaitConnected(String applicationName) {
        Eventually.await(applicationName + " connected again", Duration.ofSeconds(60), () -> {
            try {
                return !PgFaultServer.backends(applicationName).isEmpty();
            } catch (SQLException e) {
                return false;
            }
        });
    }
}
