package dev.jobqueue.spi;

/** Whether a fenced transition (complete, fail, retry, release) was applied. */
public enum TransitionOutcome {
    /** The caller held the current lease; the job moved. */
    APPLIED,
    /**
     * The caller's token is not the job's current one (its lease expired and the job was requeued,
     * claimed again, cancelled or expired): nothing changed. The newer attempt's outcome stands.
     */
    LEASE_LOST
}
