package dev.jobqueue.file;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobSnapshot;
import java.time.Duration;
import java.time.Instant;

/**
 * One job's complete record, immutable: every transition builds a new record, appends it to the
 * journal and replaces the old one in the index. Replay therefore never re-runs decisions; it
 * just puts records back.
 *
 * <p>{@code payload} is {@code null} once the job is terminal (nobody reads it any more).
 * {@code seq} orders jobs FIFO within a priority; {@code token} is the fencing token of the
 * current (or last) claim.
 */
record JobRecord(String queue, String id, JobState state, int priority, long seq, Instant createdAt,
                 Instant runAt, int attempts, int maxAttempts, int stalls, int maxStalls,
                 Duration resultTtl, long token, String workerId, Instant leaseDeadline,
                 Instant expiresAt, byte[] payload, byte[] result, JobError error) {

    boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    JobSnapshot snapshot() {
        return new JobSnapshot(id, state, priority, createdAt, runAt, attempts, maxAttempts, stalls,
                result, error, expiresAt, workerId, leaseDeadline);
    }

    /** Waiting in the ready set again (after release or promotion), keeping its enqueue position. */
    JobRecord queued() {
        return new JobRecord(queue, id, JobState.QUEUED, priority, seq, createdAt, null, attempts,
                maxAttempts, stalls, maxStalls, resultTtl, token, null, null, null, payload, null, null);
    }

    /** QUEUED again with the attempt of an unstarted claim taken back. */
    JobRecord unclaimed() {
        return new JobRecord(queue, id, JobState.QUEUED, priority, seq, createdAt, null, attempts - 1,
                maxAttempts, stalls, maxStalls, resultTtl, token, null, null, null, payload, null, null);
    }

    JobRecord requeuedAfterStall() {
        return new JobRecord(queue, id, JobState.QUEUED, priority, seq, createdAt, null, attempts,
                maxAttempts, stalls + 1, maxStalls, resultTtl, token, null, null, null, payload, null, null);
    }

    JobRecord claimed(long newToken, String worker, Instant deadline) {
        return new JobRecord(queue, id, JobState.PROCESSING, priority, seq, createdAt, null, attempts + 1,
                maxAttempts, stalls, maxStalls, resultTtl, newToken, worker, deadline, null, payload, null, null);
    }

    JobRecord leaseExtended(Instant deadline) {
        return new JobRecord(queue, id, state, priority, seq, createdAt, runAt, attempts, maxAttempts, stalls,
                maxStalls, resultTtl, token, workerId, deadline, expiresAt, payload, result, error);
    }

    JobRecord completed(byte[] value, Instant expiry) {
        return terminal(JobState.COMPLETED, stalls, expiry, value, null);
    }

    JobRecord failed(JobError failure, int stallCount, Instant expiry) {
        return terminal(JobState.FAILED, stallCount, expiry, null, failure);
    }

    JobRecord cancelled(Instant expiry) {
        return terminal(JobState.CANCELLED, stalls, expiry, null, null);
    }

    JobRecord retrying(Instant dueAt, JobError lastError) {
        return new JobRecord(queue, id, JobState.FAILING, priority, seq, createdAt, dueAt, attempts, maxAttempts,
                stalls, maxStalls, resultTtl, token, null, null, null, payload, null, lastError);
    }

    JobRecord expiringAt(Instant expiry) {
        return new JobRecord(queue, id, state, priority, seq, createdAt, runAt, attempts, maxAttempts, stalls,
                maxStalls, resultTtl, token, workerId, leaseDeadline, expiry, payload, result, error);
    }

    private JobRecord terminal(JobState terminalState, int stallCount, Instant expiry, byte[] value,
                               JobError failure) {
        return new JobRecord(queue, id, terminalState, priority, seq, createdAt, null, attempts, maxAttempts,
                stallCount, maxStalls, resultTtl, token, null, null, expiry, null, value, failure);
    }
}
