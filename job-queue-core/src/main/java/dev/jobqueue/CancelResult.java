package dev.jobqueue;

/**
 * What {@code cancel(id)} found. Only QUEUED, DELAYED and FAILING jobs can be cancelled.
 *
 * <!-- snippet: cancel-result -->
 * <pre>{@code
 * if (queue.cancel("report-7") == CancelResult.PROCESSING) {
 *     log.info("report-7 is already running; it will finish");
 * }
 * }</pre>
 */
public enum CancelResult {
    /** The job was waiting and is now CANCELLED (also returned for an already cancelled job). */
    CANCELLED,
    /** No job with that id (never enqueued, or its terminal record expired). */
    NOT_FOUND,
    /** A worker holds the job; it was not cancelled. */
    PROCESSING,
    /** The job already completed; nothing changed. */
    COMPLETED,
    /** The job already failed; nothing changed. */
    FAILED
}
