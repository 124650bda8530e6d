package dev.jobqueue;

import java.time.Instant;
import java.util.Map;

/**
 * One attempt of a job, as a {@link JobHandler} sees it.
 *
 * <!-- snippet: job -->
 * <pre>{@code
 * JobHandler<Order, Receipt> handler = job -> {
 *     if (job.attempt() > 1) log.info("retrying {} (attempt {}/{})", job.id(), job.attempt(), job.maxAttempts());
 *     return payments.charge(job.payload(), job.id() + ":" + job.fencingToken());
 * };
 * }</pre>
 */
public interface Job<P> {
    /** @return the job id (its deduplication key) */
    String id();

    /** @return the deserialized payload */
    P payload();

    /** @return the 1-based number of this attempt; attempts whose worker died count too */
    int attempt();

    /**
     * @return the attempts allowed for this job: the producer's {@code maxAttempts} (its queue's, or
     *         the job's {@link EnqueueOptions}), fixed at enqueue, not the worker queue's setting
     */
    int maxAttempts();

    /** @return when the job was first accepted */
    Instant createdAt();

    /** @return the token of this claim, strictly increasing per job: lets idempotent handlers reject stale work */
    long fencingToken();

    /**
     * True when this attempt should stop: the job was cancelled ({@link Queue#cancel}, from any
     * process), its execution timeout passed, its lease was lost (another worker may run it), or
     * the queue is shutting down forcibly. In each case the handler thread is interrupted as well.
     * A long-running handler should check this and stop early; what it returns then is not
     * stored as a success.
     *
     * @return whether this attempt should stop
     */
    boolean isCancelled();

    /**
     * The job's metadata as enqueued ({@link EnqueueOptions.Builder#metadata}, plus what
     * {@link JobInterceptor}s added): a small unmodifiable map, empty when none.
     *
     * @return the metadata
     */
    default Map<String, String> metadata() {
        return Map.of();
    }
}
