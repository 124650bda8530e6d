package dev.jobqueue;

/**
 * The direction of a job listing along the order a state's jobs are kept in:
 * <ul>
 *   <li>QUEUED: claim order (higher priority first, then first in, first out);</li>
 *   <li>DELAYED and FAILING: due time;</li>
 *   <li>PROCESSING: lease deadline;</li>
 *   <li>COMPLETED, FAILED and CANCELLED: expiry time (the order they finished in when their result
 *       TTLs are equal).</li>
 * </ul>
 * Ties are broken by the storage's own total order (its enqueue sequence, say), so a cursor
 * resumes exactly where a page ended, and {@link #NEWEST_FIRST} is the exact reverse of
 * {@link #OLDEST_FIRST}.
 *
 * <!-- snippet: list-order -->
 * <pre>{@code
 * JobPage<Order, Receipt> newestFailures = queue.list(JobState.FAILED, ListOrder.NEWEST_FIRST, 50);
 * }</pre>
 */
public enum ListOrder {
    /** Earliest first: for QUEUED, the next job to be claimed first. */
    OLDEST_FIRST,
    /** Latest first: the reverse of {@link #OLDEST_FIRST}. */
    NEWEST_FIRST
}
