package dev.jobqueue.spi;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import java.time.Instant;

/**
 * A consistent view of one job's record (without the payload), as read in one atomic step.
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
 */
public record JobSnapshot(String id, JobState state, int priority, Instant createdAt, Instant runAt,
                          int attempts, int maxAttempts, int stalls, byte[] result, JobError error,
                          Instant expiresAt, String workerId, Instant leaseDeadline) {
}
