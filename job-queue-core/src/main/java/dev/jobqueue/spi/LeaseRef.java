package dev.jobqueue.spi;

/**
 * Names one claim: the job id and the fencing token the claim was given.
 *
 * <!-- snippet: lease-ref -->
 * <pre>{@code
 * ClaimedJob job = storage.claim(queue, workerId, 1, lease, Duration.ZERO).get(0);
 * storage.complete(queue, new LeaseRef(job.id(), job.fencingToken()), result, null);
 * }</pre>
 */
public record LeaseRef(String jobId, long fencingToken) {
}
