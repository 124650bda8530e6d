package dev.jobqueue.spi;

import dev.jobqueue.JobState;

/**
 * One job that {@link Storage#requeueExpired} found with an expired lease.
 *
 * <!-- snippet: stalled-job -->
 * <pre>{@code
 * for (StalledJob s : storage.requeueExpired(queue, 100)) {
 *     log.warn("job {} stalled on {} ({} times), now {}", s.id(), s.workerId(), s.stalls(), s.newState());
 * }
 * }</pre>
 *
 * @param id       job id
 * @param workerId the worker whose lease expired
 * @param stalls   stall count including this one
 * @param newState QUEUED when requeued, FAILED when it stalled more than its maxStalls
 */
public record StalledJob(String id, String workerId, int stalls, JobState newState) {
}
