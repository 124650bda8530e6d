package dev.jobqueue;

/**
 * What {@code promote(id)} found. A DELAYED job (or a FAILING one waiting out its backoff) becomes
 * QUEUED at once, ahead of its scheduled time.
 *
 * <!-- snippet: promote-result -->
 * <pre>{@code
 * if (queue.promote("reminder-5") == PromoteResult.PROMOTED) {
 *     log.info("reminder-5 runs now");
 * }
 * }</pre>
 */
public enum PromoteResult {
    /** The job was DELAYED or FAILING and is now QUEUED. */
    PROMOTED,
    /** No job with that id. */
    NOT_FOUND,
    /** The job is not DELAYED or FAILING; nothing changed. */
    NOT_DELAYED
}
