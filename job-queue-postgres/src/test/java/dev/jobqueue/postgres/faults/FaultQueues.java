package dev.jobqueue.postgres.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.Queue;
import dev.jobqueue.contract.Eventually;
import dev.jobqueue.postgres.PostgresStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two processes' worth of queue on one schema, for the server-side fault tests: a producer
 * storage whose callers wait (enqueueAndWait / submit) and a separate worker storage that runs the
 * jobs. The producer has no worker of its own, so its callers learn outcomes only from the
 * database (NOTIFY, or the status re-read after a re-LISTEN), never in-process. Each storage
 * connects with its own application name, so a test can find and terminate its backends.
 */
final class FaultQueues implements AutoCloseable {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    final String producerApp = PgFaultServer.uniqueApplicationName("producer");
    final String workerApp = PgFaultServer.uniqueApplicationName("worker");
    final PostgresStorage producerStorage;
    final PostgresStorage workerStorage;
    final Queue<String, String> producer;
    final Queue<String, String> worker;
    final AtomicInteger runs = new AtomicInteger();

    FaultQueues(String schema, String queueName) {
        producerStorage = PostgresStorage.builder().jdbcUrl(PgFaultServer.urlNamed(producerApp)).schema(schema).build();
        workerStorage = PostgresStorage.builder().jdbcUrl(PgFaultServer.urlNamed(workerApp)).schema(schema).build();
        producer = Queue.builder(producerStorage, String.class, String.class).name(queueName).build();
        worker = Queue.builder(workerStorage, String.class, String.class).name(queueName).concurrency(8)
                .visibilityTimeout(Duration.ofSeconds(5)).maxStalls(20).maxAttempts(5)
                .handler(job -> {
                    runs.incrementAndGet();
                    Thread.sleep(5); // keeps jobs in flight when the fault hits
                    return "done " + job.payload();
                })
                .build();
        worker.start();
    }

    /** Submits {@code count} jobs {@code <prefix>-<i>} from the producer; each future completes with the job's result. */
    List<CompletableFuture<String>> submit(String prefix, int count) {
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(producer.submit(prefix + "-" + i, prefix + " " + i, EnqueueOptions.defaults(), CALL_TIMEOUT));
        }
        return calls;
    }

    /**
     * Waits until the database holds {@code total} jobs of the queue, so that a fault injected next
     * hits waiting callers and running jobs, not the enqueues (an enqueue cut off by a fault fails to
     * its caller, which is allowed).
     */
    void awaitEnqueued(String queueName, long total) {
        Eventually.await(total + " jobs enqueued", Duration.ofSeconds(60),
                () -> producerStorage.counts(queueName).values().stream().mapToLong(Long::longValue).sum() >= total);
    }

    /** Every call ended with its own job's result. */
    static void assertResults(String prefix, List<CompletableFuture<String>> calls) throws Exception {
        for (int i = 0; i < calls.size(); i++) {
            String result = calls.get(i).get(CALL_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            assertEquals("done " + prefix + " " + i, result, prefix + "-" + i);
        }
    }

    @Override
    public void close() {
        try (producerStorage; workerStorage) {
            worker.close();
            producer.close();
        }
    }
}
