package dev.jobqueue;

/** What {@code updateResultTtl(id, ttl)} did. */
public enum TtlUpdateResult {
    /** The terminal record now expires {@code ttl} from now. */
    UPDATED,
    /** No job with that id, or its record already expired. */
    NOT_FOUND,
    /** The job is not COMPLETED or FAILED yet, so it has no result TTL to change. */
    NOT_TERMINAL
}
