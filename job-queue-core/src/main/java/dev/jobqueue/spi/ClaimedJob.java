package dev.jobqueue.spi;

import java.time.Instant;
import java.util.Map;

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
 * @param metadata      the job's metadata as enqueued (never null)
 * @param readyAt       when the job last became claimable: its enqueue, the end of its delay or
 *                      backoff, or the time it was released or requeued (storage clock); the
 *                      queue wait of this attempt is {@code claimedAt - readyAt}
 * @param claimedAt     the storage's now when this claim was made
 */
public record ClaimedJob(String id, byte[] payload, int attempt, int maxAttempts, Instant createdAt,
                         long fencingToken, Instant leaseDeadline, Map<String, String> metadata,
                         Instant readyAt, Instant claimedAt) {
    /**
     * Copies the metadata; a null {@code readyAt} or {@code claimedAt} defaults to {@code createdAt}.
     *
     * @param id see {@link #id()}
     * @param payload see {@link #payload()}
     * @param attempt see {@link #attempt()}
     * @param maxAttempts see {@link #maxAttempts()}
     * @param createdAt see {@link #createdAt()}
     * @param fencingToken see {@link #fencingToken()}
     * @param leaseDeadline see {@link #leaseDeadline()}
     * @param metadata see {@link #metadata()}
     * @param readyAt see {@link #readyAt()}
     * @param claimedAt see {@link #claimedAt()}
     */
    public ClaimedJob {
        metadata = JobMetadata.copyOf(metadata, "metadata");
        readyAt = readyAt == null ? createdAt : readyAt;
        claimedAt = claimedAt == null ? readyAt : claimedAt;
    }

    /**
     * A claim without metadata or timing (both default as in the canonical constructor).
     *
     * @param id see {@link #id()}
     * @param payload see {@link #payload()}
     * @param attempt see {@link #attempt()}
     * @param maxAttempts see {@link #maxAttempts()}
     * @param createdAt see {@link #createdAt()}
     * @param fencingToken see {@link #fencingToken()}
     * @param leaseDeadline see {@link #leaseDeadline()}
     */
    public ClaimedJob(String id, byte[] payload, int attempt, int maxAttempts, Instant createdAt,
                      long fencingToken, Instant leaseDeadline) {
        this(id, payload, attempt, maxAttempts, createdAt, fencingToken, leaseDeadline, Map.of(), null, null);
    }
}
