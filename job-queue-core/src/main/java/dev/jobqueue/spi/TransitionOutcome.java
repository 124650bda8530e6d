package dev.jobqueue.spi;

/**
 * Whether a fenced transition (complete, fail, retry, release) was applied.
 *
 * <!-- snippet: transition-outcome -->
 * <pre>{@code
 * if (storage.complete(queue, lease, result, null) == TransitionOutcome.LEASE_LOST) {
 *     // the Reaper gave the job to another worker meanwhile: this outcome is dropped
 * }
 * }</pre>
 */
public enum TransitionOutcome {
    /** The caller held the current lease; the job moved. */
    APPLIED,
    /**
     * The caller's token is not the job's current one (its lease expired and the job was requeued,
     * claimed again, cancelled or expired): nothing changed. The newer attempt's outcome stands.
     */
    LEASE_LOST
}
