package dev.jobqueue;

/**
 * Where a job is in its life cycle.
 *
 * <pre>
 * QUEUED ──claim──► PROCESSING ──ok──► COMPLETED
 *   ▲  ▲                │ throws, attempts left ──► FAILING ──due──► QUEUED
 *   │  └─lease expired──┤ throws, no attempts left ──► FAILED
 * DELAYED (due)         QUEUED/DELAYED ──cancel──► CANCELLED
 * </pre>
 *
 * <p>COMPLETED, FAILED and CANCELLED are terminal: the record stays until its TTL ends. The
 * complete table of allowed transitions, and which operation makes each, is
 * {@link dev.jobqueue.spi.JobTransitions}: the storages' tests and the reference model check against it.
 */
public enum JobState {
    /** Ready to be claimed by a worker. */
    QUEUED,
    /** Waiting for its {@code runAt} time; becomes QUEUED when due. */
    DELAYED,
    /** Claimed by a worker that holds a lease on it. */
    PROCESSING,
    /** The last attempt threw; waiting for the backoff before the next attempt. */
    FAILING,
    /** The handler returned; the result is kept until its TTL ends. */
    COMPLETED,
    /** No attempts left (or stalled too often); the {@link JobError} is kept until its TTL ends. */
    FAILED,
    /** Cancelled before it ran; a new job with the same id may be enqueued. */
    CANCELLED;

    /** @return true for COMPLETED, FAILED and CANCELLED: states a job never leaves except by expiring */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
