package dev.jobqueue.spi;

import java.time.Instant;

/**
 * A job handed to one worker by {@link Storage#claim}: the job is PROCESSING under a lease that
 * only the holder of {@code fencingToken} may extend, complete, fail, retry or release.
 *
 * <!-- snippet: claimed-job -->
 * <pre>{@code
 * for (ClaimedJob job : storage.claim(queue, workerId, 16, Duration.ofSeconds(30), Duration.ofSeconds(5))) {
 *     byte[] result = run(job.payload(), job.attempt());
 *     storage.complete(queue, new LeaseRef(job.id(), job.fencingToken()), result, null);
 * }
 * }</pre>
 *
 * @param id            job id
 * @param payload       serialized payload
 * @param attempt       1-based number of this attempt (stalled runs count)
 * @param maxAttempts   attempts allowed for this job
 * @param createdAt     when the job was first accepted
 * @param fencingToken  token of this claim; strictly greater than every earlier claim's token of the job
 * @param leaseDeadline when the lease ends unless extended
 */
public record ClaimedJob(String id, byte[] payload, int attempt, int maxAttempts, Instant createdAt,
                         long fencingToken, Instant leaseDeadline) {
}
