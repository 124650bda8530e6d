package dev.jobqueue.spi;

/**
 * Result of one enqueue: either a new job was created, or a job with that id already exists
 * (any state, terminal ones until their TTL ends; a CANCELLED record does not block: it is replaced).
 *
 * <!-- snippet: enqueue-outcome -->
 * <pre>{@code
 * EnqueueOutcome outcome = storage.enqueue(queue, job);
 * if (!outcome.created()) {
 *     log.info("{} exists already: {}", job.id(), outcome.existing().state());
 * }
 * }</pre>
 *
 * @param created  true when this call created the job
 * @param existing the existing job when {@code created} is false (with result bytes when COMPLETED
 *                 and error when FAILED); {@code null} when created
 */
public record EnqueueOutcome(boolean created, JobSnapshot existing) {
    private static final EnqueueOutcome CREATED = new EnqueueOutcome(true, null);

    /** @return the outcome of an enqueue that created the job (one shared instance) */
    public static EnqueueOutcome newlyCreated() {
        return CREATED;
    }

    /**
     * @param existing the job found under the id
     * @return the outcome of an enqueue that found {@code existing} and created nothing
     */
    public static EnqueueOutcome duplicate(JobSnapshot existing) {
        return new EnqueueOutcome(false, existing);
    }
}
