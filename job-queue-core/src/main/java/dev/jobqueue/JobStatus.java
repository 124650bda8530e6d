package dev.jobqueue;

import dev.jobqueue.spi.JobMetadata;
import java.time.Instant;
import java.util.Map;

/**
 * A job's record as {@link Queue#status(String)} reads it, with the result deserialized. Without
 * the payload: {@link Queue#inspect(String)} returns that too, as a {@link JobInfo}.
 *
 * <!-- snippet: job-status -->
 * <pre>{@code
 * queue.status("order-42").ifPresent(s -> System.out.println(s.state() + " after " + s.attempts() + " attempts"));
 * }</pre>
 *
 * @param id          job id
 * @param state       current state
 * @param priority    priority given at enqueue
 * @param createdAt   when the job was first accepted
 * @param runAt       when a DELAYED/FAILING job becomes due, else {@code null}
 * @param attempts    attempts started so far
 * @param maxAttempts attempts allowed
 * @param stalls      lease expiries counted so far
 * @param result      the result when COMPLETED, else {@code null}
 * @param error       the error when FAILED, the last error when FAILING, else {@code null}
 * @param expiresAt   when a terminal record disappears, else {@code null}
 * @param metadata    the job's metadata as enqueued (never {@code null}; empty when none)
 * @param startedAt   when a worker claimed the latest attempt (storage clock), {@code null} before the first
 * @param finishedAt  when the job became COMPLETED, FAILED or CANCELLED (storage clock), else {@code null}
 */
public record JobStatus<R>(String id, JobState state, int priority, Instant createdAt, Instant runAt, int attempts,
                           int maxAttempts, int stalls, R result, JobError error, Instant expiresAt,
                           Map<String, String> metadata, Instant startedAt, Instant finishedAt) {
    /**
     * Copies the metadata ({@code null} is empty).
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
     * @param metadata see {@link #metadata()}
     * @param startedAt see {@link #startedAt()}
     * @param finishedAt see {@link #finishedAt()}
     */
    public JobStatus {
        metadata = metadata == null ? Map.of() : JobMetadata.copyOf(metadata, "metadata");
    }

    /**
     * A status without metadata or attempt times (the components of earlier versions).
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
     */
    public JobStatus(String id, JobState state, int priority, Instant createdAt, Instant runAt, int attempts,
                     int maxAttempts, int stalls, R result, JobError error, Instant expiresAt) {
        this(id, state, priority, createdAt, runAt, attempts, maxAttempts, stalls, result, error, expiresAt,
                Map.of(), null, null);
    }
}
