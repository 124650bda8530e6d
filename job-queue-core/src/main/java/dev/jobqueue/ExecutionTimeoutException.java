package dev.jobqueue;

import java.time.Duration;

/**
 * The failure a job's attempt gets when it runs longer than its execution timeout
 * ({@link Queue.Builder#timeout(Duration)} or {@link EnqueueOptions.Builder#timeout(Duration)}):
 * the handler thread was interrupted and the attempt failed with a {@link JobError} whose
 * {@link JobError#code() code} is {@link JobError#TIMEOUT}. Retried or failed like any failure,
 * under the queue's retry policy. Handlers do not throw it; the worker makes it.
 *
 * <!-- snippet: execution-timeout-exception -->
 * <pre>{@code
 * builder.afterExecution((job, outcome) -> {
 *     if (outcome.failure() instanceof ExecutionTimeoutException t) {
 *         log.warn("{} ran over its {} timeout", job.id(), t.timeout());
 *     }
 *     return outcome;
 * });
 * }</pre>
 */
public class ExecutionTimeoutException extends JobException {
    private static final long serialVersionUID = 1L;

    /** The timeout that passed. */
    private final Duration timeout;

    /**
     * @param jobId the job that ran over
     * @param attempt the attempt that ran over
     * @param timeout the timeout that passed
     */
    public ExecutionTimeoutException(String jobId, int attempt, Duration timeout) {
        super(JobError.TIMEOUT, "attempt " + attempt + " of job " + jobId + " ran longer than its timeout of " + timeout);
        this.timeout = timeout;
    }

    /** @return the timeout that passed */
    public Duration timeout() {
        return timeout;
    }
}
