package dev.jobqueue;

/**
 * A waited-for job ended FAILED; {@link #error()} is its persisted error.
 *
 * <!-- snippet: job-failed-exception -->
 * <pre>{@code
 * try { queue.enqueueAndWait(id, payload, Duration.ofSeconds(10)); }
 * catch (JobFailedException e) { log.warn("{} failed: {} {}", e.jobId(), e.error().type(), e.error().message()); }
 * }</pre>
 */
public class JobFailedException extends RuntimeException {
    /** The failed job's id. */
    private final String jobId;
    private final transient JobError error;

    /**
     * @param jobId the failed job's id
     * @param error its persisted error
     */
    public JobFailedException(String jobId, JobError error) {
        super("job " + jobId + " failed after " + error.attempts() + " attempt(s): " + error.type()
                + (error.message() != null ? ": " + error.message() : ""));
        this.jobId = jobId;
        this.error = error;
    }

    /** @return the failed job's id */
    public String jobId() {
        return jobId;
    }

    /** @return the persisted error (type, message, stack trace, code, attempts, time) */
    public JobError error() {
        return error;
    }
}
