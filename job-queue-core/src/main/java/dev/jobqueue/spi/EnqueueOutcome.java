package dev.jobqueue.spi;

/**
 * Result of one enqueue: either a new job was created, or a job with that id already exists
 * (any state, terminal ones until their TTL ends; a CANCELLED record does not block: it is replaced).
 *
 * @param created  true when this call created the job
 * @param existing the existing job when {@code created} is false (with result bytes when COMPLETED
 *                 and error when FAILED); {@code null} when created
 */
public record EnqueueOutcome(boolean created, JobSnapshot existing) {
    private static final EnqueueOutcome CREATED = new EnqueueOutcome(true, null);

    public static EnqueueOutcome newlyCreated() {
        return CREATED;
    }

    public static EnqueueOutcome duplicate(JobSnapshot existing) {
        return new EnqueueOutcome(false, existing);
    }
}
