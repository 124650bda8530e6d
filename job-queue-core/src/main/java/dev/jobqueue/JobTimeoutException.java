package dev.jobqueue;

import java.time.Duration;

/**
 * A waited-for job did not finish within the timeout. The job itself is not cancelled: it may
 * still run; a later enqueueAndWait with the same id waits for the same job.
 *
 * <!-- snippet: job-timeout-exception -->
 * <pre>{@code
 * try { queue.enqueueAndWait(id, payload, Duration.ofSeconds(2)); }
 * catch (JobTimeoutException e) { return accepted(id); }
 * }</pre>
 */
public class JobTimeoutException extends RuntimeException {
    /** The waited-for job's id. */
    private final String jobId;

    /**
     * @param jobId   the waited-for job's id
     * @param timeout how long the caller waited
     */
    public JobTimeoutException(String jobId, Duration timeout) {
        this(jobId, "job " + jobId + " did not finish within " + timeout);
    }

    /**
     * With a message that says more than the timeout, e.g. the state the job was in when it passed.
     *
     * @param jobId the waited-for job's id
     * @param message the whole exception message
     */
    public JobTimeoutException(String jobId, String message) {
        super(message);
        this.jobId = jobId;
    }

    /** @return the waited-for job's id */
    public String jobId() {
        return jobId;
    }
}
