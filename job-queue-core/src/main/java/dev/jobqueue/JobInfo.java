package dev.jobqueue;

import dev.jobqueue.spi.JobMetadata;
import java.time.Instant;
import java.util.Map;

/**
 * One job as {@link Queue#list} and {@link Queue#inspect} show it: its record with the payload and
 * result deserialized, its metadata and its times.
 *
 * <p>A payload or result that this queue's serdes cannot read (a job enqueued by other code with
 * another payload type, say) does not break a listing: that field is {@code null} and
 * {@link #decodeError()} says which field failed and why. Everything else is shown as stored, so
 * such a job can still be found, deleted or retried.
 *
 * <!-- snippet: job-info -->
 * <pre>{@code
 * queue.inspect("order-42").ifPresent(job -> System.out.println(job.state() + " " + job.payload()
 *         + " tenant=" + job.metadata().get("tenant") + " attempts=" + job.attempts()));
 * }</pre>
 *
 * @param id            job id
 * @param state         current state
 * @param payload       the deserialized payload; {@code null} when it could not be read (see {@code decodeError})
 * @param metadata      the job's metadata as enqueued (never {@code null}; empty when none)
 * @param priority      priority given at enqueue
 * @param attempts      attempts started so far
 * @param maxAttempts   attempts allowed
 * @param stalls        lease expiries counted so far
 * @param createdAt     when the job was first accepted
 * @param runAt         when a DELAYED/FAILING job becomes due, else {@code null}
 * @param startedAt     when a worker claimed the latest attempt (storage clock), {@code null} before the first
 * @param finishedAt    when the job became COMPLETED, FAILED or CANCELLED (storage clock), else {@code null}
 * @param expiresAt     when a terminal record disappears, else {@code null}
 * @param result        the result when COMPLETED (and readable), else {@code null}
 * @param error         the error when FAILED, the last error when FAILING, else {@code null}
 * @param workerId      the worker holding a PROCESSING job, else {@code null}
 * @param leaseDeadline when a PROCESSING job's lease ends unless extended, else {@code null}
 * @param decodeError   {@code null} when payload and result were read; else which of them could not
 *                      be deserialized, and why (e.g. {@code "payload: Cannot deserialize ..."})
 */
public record JobInfo<P, R>(String id, JobState state, P payload, Map<String, String> metadata, int priority,
                            int attempts, int maxAttempts, int stalls, Instant createdAt, Instant runAt,
                            Instant startedAt, Instant finishedAt, Instant expiresAt, R result, JobError error,
                            String workerId, Instant leaseDeadline, String decodeError) {
    /**
     * Copies the metadata ({@code null} is empty).
     *
     * @param id see {@link #id()}
     * @param state see {@link #state()}
     * @param payload see {@link #payload()}
     * @param metadata see {@link #metadata()}
     * @param priority see {@link #priority()}
     * @param attempts see {@link #attempts()}
     * @param maxAttempts see {@link #maxAttempts()}
     * @param stalls see {@link #stalls()}
     * @param createdAt see {@link #createdAt()}
     * @param runAt see {@link #runAt()}
     * @param startedAt see {@link #startedAt()}
     * @param finishedAt see {@link #finishedAt()}
     * @param expiresAt see {@link #expiresAt()}
     * @param result see {@link #result()}
     * @param error see {@link #error()}
     * @param workerId see {@link #workerId()}
     * @param leaseDeadline see {@link #leaseDeadline()}
     * @param decodeError see {@link #decodeError()}
     */
    public JobInfo {
        metadata = metadata == null ? Map.of() : JobMetadata.copyOf(metadata, "metadata");
    }
}
