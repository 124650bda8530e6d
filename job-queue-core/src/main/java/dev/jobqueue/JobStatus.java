package dev.jobqueue;

import java.time.Instant;

/**
 * A job's record as {@link Queue#status(String)} reads it, with the result deserialized.
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
 */
public record JobStatus<R>(String id, JobState state, int priority, Instant createdAt, Instant runAt, int attempts,
                           int maxAttempts, int stalls, R result, JobError error, Instant expiresAt) {
}
