package dev.jobqueue;

/**
 * What {@code cancel(id)} found. A waiting job (QUEUED, DELAYED, FAILING) and a running one
 * (PROCESSING) can be cancelled; a running job's handler is interrupted wherever it runs and its
 * late outcome is rejected.
 *
 * <!-- snippet: cancel-result -->
 * <pre>{@code
 * if (queue.cancel("report-7") == CancelResult.COMPLETED) {
 *     log.info("report-7 had already finished");
 * }
 * }</pre>
 */
public enum CancelResult {
    /** The job was waiting or running and is now CANCELLED (also returned for an already cancelled job). */
    CANCELLED,
    /** No job with that id (never enqueued, or its terminal record expired). */
    NOT_FOUND,
    /** The job already completed; nothing changed. */
    COMPLETED,
    /** The job already failed; nothing changed. */
    FAILED
}
