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
    private final String jobId;

    public JobCancelledException(String jobId) {
        super("job " + jobId + " was cancelled");
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
