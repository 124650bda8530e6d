package dev.jobqueue;

import java.time.Instant;

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
    /** The job id (its deduplication key). */
    String id();

    /** The deserialized payload. */
    P payload();

    /** 1-based number of this attempt; attempts whose worker died count too. */
    int attempt();

    /** Attempts allowed for this job. */
    int maxAttempts();

    /** When the job was first accepted. */
    Instant createdAt();

    /** Token of this claim, strictly increasing per job: lets idempotent handlers reject stale work. */
    long fencingToken();

    /**
     * True when this worker no longer owns the job: its lease was lost (another worker may run it)
     * or the queue is shutting down forcibly (the handler thread is interrupted as well). A
     * long-running handler should check this and stop early.
     */
    boolean isCancelled();
}
