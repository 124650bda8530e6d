package dev.jobqueue.spi;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import java.time.Instant;
import java.util.Map;

/**
 * A consistent view of one job's record, as read in one atomic step.
 *
 * <!-- snippet: job-snapshot -->
 * <pre>{@code
 * storage.status(queue, "order-42").ifPresent(s -> System.out.println(s.state() + " after " + s.attempts() + " attempts"));
 * }</pre>
 *
 * @param id            job id
 * @param state         current state
 * @param priority      priority given at enqueue
 * @param createdAt     when the job was first accepted
 * @param runAt         when a DELAYED/FAILING job becomes due, else {@code null}
 * @param attempts      attempts started so far (claims, including stalled runs)
 * @param maxAttempts   attempts allowed
 * @param stalls        lease expiries counted so far
 * @param result        serialized result when COMPLETED, else {@code null}
 * @param error         the error when FAILED, the last error when FAILING, else {@code null}
 * @param expiresAt     when a terminal record disappears, else {@code null}
 * @param workerId      the worker holding a PROCESSING job, else {@code null}
 * @param leaseDeadline when a PROCESSING job's lease ends, else {@code null}
 * @param payload       the serialized payload from {@code status} and {@code listJobs}; {@code null}
 *                      where the operation does not read it (the existing job of a duplicate
 *                      enqueue, a terminal notification)
 * @param metadata      the job's metadata (never null; empty where {@code payload} is not read)
 * @param startedAt     when the latest attempt was claimed, {@code null} before the first
 * @param finishedAt    when the job became COMPLETED, FAILED or CANCELLED, else {@code null}
 */
public record JobSnapshot(String id, JobState state, int priority, Instant createdAt, Instant runAt,
                          int attempts, int maxAttempts, int stalls, byte[] result, JobError error,
                          Instant expiresAt, String workerId, Instant leaseDeadline,
                          byte[] payload, Map<String, String> metadata, Instant startedAt, Instant finishedAt) {
    /**
     * Copies the metadata (null is empty).
     *
     * @param id see {@link #id()}
     * @param state see {@link #state()}
     * @param priority see {@link #priority()}
     * @param createdAt see {@link #createdAt()}
     * @param runAt see {@link #runAt()}
     * @param attempts see {@link #attempts()}
     * @param maxAttempts see {@link #maxAttempts()}
     * @param stalls see {@link #stalls()}
     * @param result see {@link #result()}
     * @param error see {@link #error()}
     * @param expiresAt see {@link #expiresAt()}
     * @param workerId see {@link #workerId()}
     * @param leaseDeadline see {@link #leaseDeadline()}
     * @param payload see {@link #payload()}
     * @param metadata see {@link #metadata()}
     * @param startedAt see {@link #startedAt()}
     * @param finishedAt see {@link #finishedAt()}
     */
    public JobSnapshot {
        metadata = metadata == null ? Map.of() : JobMetadata.copyOf(metadata, "metadata");
    }

    /**
     * A snapshot without payload, metadata or attempt timing.
     *
     * @param id see {@link #id()}
     * @param state see {@link #state()}
     * @param priority see {@link #priority()}
     * @param createdAt see {@link #createdAt()}
     * @param runAt see {@link #runAt()}
     * @param attempts see {@link #attempts()}
     * @param maxAttempts see {@link #maxAttempts()}
     * @param stalls see {@link #stalls()}
     * @param result see {@link #result()}
     * @param error see {@link #error()}
     * @param expiresAt see {@link #expiresAt()}
     * @param workerId see {@link #workerId()}
     * @param leaseDeadline see {@link #leaseDeadline()}
     */
    public JobSnapshot(String id, JobState state, int priority, Instant createdAt, Instant runAt,
                       int attempts, int maxAttempts, int stalls, byte[] result, JobError error,
                       Instant expiresAt, String workerId, Instant leaseDeadline) {
        this(id, state, priority, createdAt, runAt, attempts, maxAttempts, stalls, result, error, expiresAt,
                workerId, leaseDeadline, null, Map.of(), null, null);
    }
}
