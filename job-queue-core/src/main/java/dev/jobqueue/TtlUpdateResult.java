package dev.jobqueue;

/**
 * What {@code updateResultTtl(id, ttl)} did.
 *
 * <!-- snippet: ttl-update-result -->
 * <pre>{@code
 * if (queue.updateResultTtl("invoice-42", Duration.ofDays(30)) == TtlUpdateResult.NOT_TERMINAL) {
 *     log.info("invoice-42 has not finished yet; its result TTL is set when it does");
 * }
 * }</pre>
 */
public enum TtlUpdateResult {
    /** The terminal record now expires {@code ttl} from now. */
    UPDATED,
    /** No job with that id, or its record already expired. */
    NOT_FOUND,
    /** The job is not COMPLETED or FAILED yet, so it has no result TTL to change. */
    NOT_TERMINAL
}
