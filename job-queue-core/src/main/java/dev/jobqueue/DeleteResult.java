package dev.jobqueue;

/**
 * What {@code delete(id)} found. Any job that no worker holds can be deleted: its record, payload,
 * result and error are gone and its id is free for a new job.
 *
 * <!-- snippet: delete-result -->
 * <pre>{@code
 * if (queue.delete("import-3") == DeleteResult.PROCESSING) {
 *     log.info("import-3 is running; cancel it or wait for it to finish");
 * }
 * }</pre>
 */
public enum DeleteResult {
    /** The job existed, was not running, and is gone. */
    DELETED,
    /** No job with that id. */
    NOT_FOUND,
    /** A worker holds the job; nothing changed. */
    PROCESSING
}
