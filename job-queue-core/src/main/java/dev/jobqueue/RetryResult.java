package dev.jobqueue;

/**
 * What {@code retry(id)} found. Only FAILED and CANCELLED jobs can be retried: they go back to
 * QUEUED with the same id, payload and metadata and a fresh attempt budget.
 *
 * <!-- snippet: retry-result -->
 * <pre>{@code
 * if (queue.retry("invoice-9") == RetryResult.NOT_RETRYABLE) {
 *     log.info("invoice-9 is not failed or cancelled; nothing changed");
 * }
 * }</pre>
 */
public enum RetryResult {
    /** The job was FAILED or CANCELLED and is now QUEUED with its attempts and stalls reset. */
    RETRIED,
    /** No job with that id (never enqueued, deleted, or its terminal record expired). */
    NOT_FOUND,
    /** The job is waiting, running or completed; nothing changed. */
    NOT_RETRYABLE
}
