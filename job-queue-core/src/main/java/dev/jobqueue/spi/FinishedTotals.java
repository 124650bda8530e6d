package dev.jobqueue.spi;

/**
 * How many jobs of one queue have finished, counted since the storage's data was created: the
 * monotonic counters {@link Storage#finishedTotals} returns. Sampled over time, their differences
 * give throughput and failure rate; a counter that goes down means the data was reset (a new
 * storage, a wiped Redis), and a sampler starts over from the new value.
 *
 * <!-- snippet: spi-finished-totals -->
 * <pre>{@code
 * FinishedTotals before = storage.finishedTotals("emails");
 * Thread.sleep(10_000);
 * FinishedTotals after = storage.finishedTotals("emails");
 * long completedPer10s = after.completed() - before.completed(); // negative after a reset: start over
 * }</pre>
 *
 * @param completed jobs that became COMPLETED
 * @param failed    jobs that became FAILED, including jobs failed because they stalled too often
 */
public record FinishedTotals(long completed, long failed) {
    /** No job finished yet. */
    public static final FinishedTotals NONE = new FinishedTotals(0, 0);

    /**
     * Checks the counters.
     *
     * @param completed see {@link #completed()}
     * @param failed see {@link #failed()}
     * @throws IllegalArgumentException when a counter is negative
     */
    public FinishedTotals {
        if (completed < 0) {
            throw new IllegalArgumentException("completed must be >= 0, got " + completed);
        }
        if (failed < 0) {
            throw new IllegalArgumentException("failed must be >= 0, got " + failed);
        }
    }
}
