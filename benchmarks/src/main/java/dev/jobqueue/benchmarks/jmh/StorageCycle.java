package dev.jobqueue.benchmarks.jmh;

import dev.jobqueue.Serde;
import dev.jobqueue.benchmarks.BenchPayload;
import dev.jobqueue.benchmarks.BenchResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storage calls one no-op job costs, made directly on the SPI (no Queue, no serde): enqueue,
 * claim one, complete it. Shared by the per-storage JMH benchmarks.
 */
final class StorageCycle implements AutoCloseable {
    static final byte[] PAYLOAD = Serde.json(BenchPayload.class).serialize(BenchPayload.of(1));
    static final byte[] RESULT = Serde.json(BenchResult.class).serialize(BenchResult.of(BenchPayload.of(1)));
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RESULT_TTL = Duration.ofMinutes(5);

    private final Storage storage;
    private final String queue;
    private final AtomicLong ids = new AtomicLong();

    StorageCycle(Storage storage, String queue) {
        this.storage = storage;
        this.queue = queue;
    }

    NewJob newJob() {
        return new NewJob("j" + ids.incrementAndGet(), PAYLOAD, 0, Duration.ZERO, null, 3, 3, RESULT_TTL, false);
    }

    /** Enqueues a job (only). */
    Object enqueue() {
        return storage.enqueue(queue, newJob());
    }

    /** Enqueue + claim + complete; with several threads the claimed job may be another thread's. */
    Object enqueueClaimComplete() throws InterruptedException {
        storage.enqueue(queue, newJob());
        List<ClaimedJob> claimed = storage.claim(queue, "jmh-worker", 1, LEASE, Duration.ofSeconds(1));
        if (claimed.isEmpty()) {
            throw new IllegalStateException("nothing to claim after an enqueue");
        }
        ClaimedJob job = claimed.get(0);
        TransitionOutcome outcome = storage.complete(queue, new LeaseRef(job.id(), job.fencingToken()), RESULT, null);
        if (outcome != TransitionOutcome.APPLIED) {
            throw new IllegalStateException("complete of a fresh claim was " + outcome);
        }
        return outcome;
    }

    /**
     * Enqueues {@code n} jobs in one batch, claims them (one claim call when nothing else claims)
     * and records them with one {@code completeAll}: the calls a batching worker makes per batch.
     */
    Object enqueueClaimCompleteAll(int n) throws InterruptedException {
        List<NewJob> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            jobs.add(newJob());
        }
        storage.enqueueBatch(queue, jobs);
        List<Completion> completions = new ArrayList<>(n);
        while (completions.size() < n) {
            List<ClaimedJob> claimed = storage.claim(queue, "jmh-worker", n - completions.size(), LEASE, Duration.ofSeconds(1));
            if (claimed.isEmpty()) {
                throw new IllegalStateException("nothing to claim after an enqueue");
            }
            for (ClaimedJob job : claimed) {
                completions.add(new Completion(new LeaseRef(job.id(), job.fencingToken()), RESULT, null));
            }
        }
        List<TransitionOutcome> outcomes = storage.completeAll(queue, completions);
        if (outcomes.contains(TransitionOutcome.LEASE_LOST)) {
            throw new IllegalStateException("completeAll of fresh claims lost a lease");
        }
        return outcomes;
    }

    @Override
    public void close() {
        storage.close();
    }
}
