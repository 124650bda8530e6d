package dev.jobqueue;

/**
 * A waited-for job was cancelled before it ran.
 *
 * <!-- snippet: job-cancelled-exception -->
 * <pre>{@code
 * queue.submit(id, payload).exceptionally(t -> t instanceof JobCancelledException ? fallback : null);
 * }</pre>
 */
public class JobCancelledException extends RuntimeException {
    /** The cancelled job's id. */
    private final String jobId;

    /** @param jobId the cancelled job's id */
    public JobCancelledException(String jobId) {
        super("job " + jobId + " was cancelled");
        this.jobId = jobId;
    }

    /** @return the cancelled job's id */
    public String jobId() {
        return jobId;
    }
}
