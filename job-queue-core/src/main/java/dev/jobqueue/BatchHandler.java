package dev.jobqueue;

/**
 * Runs many jobs in one call, e.g. to write them to a file, a bulk API or one database
 * transaction: {@link Queue.Builder#batchHandler(BatchHandler, int, java.time.Duration)}. The
 * worker claims up to {@code maxJobs} jobs, waits up to {@code maxWait} for more when fewer were
 * there, and calls the handler once with the list.
 *
 * <p>The handler reports each job's outcome on the {@link Batch}: {@link Batch#complete} with a
 * result or {@link Batch#fail} with an exception (retried after the queue's backoff while
 * attempts are left, like a failed {@link JobHandler}). A job left without an outcome fails with an
 * error saying so. Throwing from the handler fails every job without an outcome yet (each retried
 * per the queue's policy). While the handler runs, the leases of all jobs of the batch are extended
 * by the heartbeat; the successes are then stored together in one storage call.
 *
 * <!-- snippet: batch-handler -->
 * <pre>{@code
 * Queue<AuditEvent, Void> audit = Queue.builder(storage, AuditEvent.class, Void.class)
 *         .name("audit")
 *         .batchHandler(batch -> {
 *             List<AuditEvent> events = batch.jobs().stream().map(Job::payload).toList();
 *             auditStore.insertAll(events);                         // one bulk write
 *             batch.jobs().forEach(job -> batch.complete(job, null));
 *         }, 100, Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * <p>Delivery is at least once, per job: a job of a batch that failed or whose worker died comes
 * back, possibly in another batch. Interceptors' {@code aroundAttempt} and the
 * {@link AfterExecution} hook wrap single attempts and are not called for batches;
 * {@code beforeEnqueue}, listeners, retries and waiters work as for single jobs.
 *
 * @param <P> the payload type
 * @param <R> the result type
 */
@FunctionalInterface
public interface BatchHandler<P, R> {
    /**
     * Handles one batch.
     *
     * @param batch the jobs (1 to maxJobs, in claim order) and where to report their outcomes
     * @throws Exception to fail every job that has no outcome yet
     */
    void handle(Batch<P, R> batch) throws Exception;
}
