package dev.jobqueue.file;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One job's complete record, immutable: every transition builds a new record, appends it to the
 * journal and replaces the old one in the index. Replay therefore never re-runs decisions; it
 * just puts records back.
 *
 * <p>{@code payload} is kept for the job's whole life (an operator may retry a FAILED or
 * CANCELLED job); only records read from a snapshot of a build before record version 2 lack the
 * payload of terminal jobs. {@code seq} orders jobs FIFO within a priority; {@code token} is the
 * fencing token of the current (or last) claim. {@code readyAt} is when the job last became
 * claimable (for a DELAYED or FAILING job: when it will), {@code startedAt} when its latest claim
 * was made, {@code finishedAt} when it became terminal.
 */
record JobRecord(String queue, String id, JobState state, int priority, long seq, Instant createdAt,
                 Instant runAt, int attempts, int maxAttempts, int stalls, int maxStalls,
                 Duration resultTtl, long token, String workerId, Instant leaseDeadline,
                 Instant expiresAt, byte[] payload, byte[] result, JobError error,
                 Map<String, String> metadata, Instant readyAt, Instant startedAt, Instant finishedAt) {

    JobRecord {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** A record without metadata or attempt timing (as record version 1 stored them). */
    JobRecord(String queue, String id, JobState state, int priority, long seq, Instant createdAt,
              Instant runAt, int attempts, int maxAttempts, int stalls, int maxStalls,
              Duration resultTtl, long token, String workerId, Instant leaseDeadline,
              Instant expiresAt, byte[] payload, byte[] result, JobError error) {
        this(queue, id, state, priority, seq, createdAt, runAt, attempts, maxAttempts, stalls, maxStalls, resultTtl,
                token, workerId, leaseDeadline, expiresAt, payload, result, error, Map.of(),
                runAt != null ? runAt : createdAt, null, null);
    }

    boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    boolean isWaiting() {
        return state == JobState.QUEUED || state == JobState.DELAYED || state == JobState.FAILING;
    }

    /** The full view: payload, metadata and timing included; the byte arrays are copies (a caller may change them). */
    JobSnapshot snapshot() {
        return new JobSnapshot(id, state, priority, createdAt, runAt, attempts, maxAttempts, stalls,
                copy(result), error, expiresAt, workerId, leaseDeadline, copy(payload), metadata, startedAt, finishedAt);
    }

    private static byte[] copy(byte[] bytes) {
        return bytes == null ? null : bytes.clone();
    }

    /** The same record with {@code bytes} as its payload and {@code map} as its metadata (replay of a record that left them unchanged). */
    JobRecord with(byte[] bytes, Map<String, String> map) {
        return new JobRecord(queue, id, state, priority, seq, createdAt, runAt, attempts, maxAttempts, stalls,
                maxStalls, resultTtl, token, workerId, leaseDeadline, expiresAt, bytes, result, error, map,
                readyAt, startedAt, finishedAt);
    }

    /** A due DELAYED or FAILING job promoted by a claim: ready since it became due, keeping its enqueue position. */
    JobRecord dueNow() {
        return waiting(JobState.QUEUED, seq, attempts, stalls, null, runAt, null);
    }

    /** Released by its worker (or requeued after a stall): ready again from {@code now}, keeping its position. */
    JobRecord queued(Instant now) {
        return waiting(JobState.QUEUED, seq, attempts, stalls, null, now, null);
    }

    /** QUEUED again at {@code now} with the attempt of an unstarted claim taken back. */
    JobRecord unclaimed(Instant now) {
        return waiting(JobState.QUEUED, seq, attempts - 1, stalls, null, now, null);
    }

    /**
     * Snoozed by its handler: DELAYED until {@code dueAt} with the attempt of the claim taken back,
     * keeping its enqueue position, stall count and error.
     */
    JobRecord snoozed(Instant dueAt) {
        return waiting(JobState.DELAYED, seq, attempts - 1, stalls, dueAt, dueAt, error);
    }

    JobRecord requeuedAfterStall(Instant now) {
        return waiting(JobState.QUEUED, seq, attempts, stalls + 1, null, now, null);
    }

    /** An operator's promote: QUEUED at {@code now}, behind the jobs of its priority ({@code newSeq}). */
    JobRecord promoted(long newSeq, Instant now) {
        return waiting(JobState.QUEUED, newSeq, attempts, stalls, null, now, null);
    }

    /**
     * An operator's retry of a FAILED or CANCELLED job: QUEUED at {@code now} behind the jobs of
     * its priority, with a fresh attempt and stall budget and no outcome, start or finish time.
     */
    JobRecord retriedByOperator(long newSeq, Instant now) {
        return new JobRecord(queue, id, JobState.QUEUED, priority, newSeq, createdAt, null, 0, maxAttempts, 0,
                maxStalls, resultTtl, token, null, null, null, payload, null, null, metadata, now, null, null);
    }

    JobRecord claimed(long newToken, String worker, Instant deadline, Instant now) {
        return new JobRecord(queue, id, JobState.PROCESSING, priority, seq, createdAt, null, attempts + 1,
                maxAttempts, stalls, maxStalls, resultTtl, newToken, worker, deadline, null, payload, null, null,
                metadata, readyAt, now, null);
    }

    JobRecord leaseExtended(Instant deadline) {
        return new JobRecord(queue, id, state, priority, seq, createdAt, runAt, attempts, maxAttempts, stalls,
                maxStalls, resultTtl, token, workerId, deadline, expiresAt, payload, result, error, metadata,
                readyAt, startedAt, finishedAt);
    }

    JobRecord completed(byte[] value, Instant expiry, Instant now) {
        return terminal(JobState.COMPLETED, stalls, expiry, value, null, now);
    }

    JobRecord failed(JobError failure, int stallCount, Instant expiry, Instant now) {
        return terminal(JobState.FAILED, stallCount, expiry, null, failure, now);
    }

    JobRecord cancelled(Instant expiry, Instant now) {
        return terminal(JobState.CANCELLED, stalls, expiry, null, null, now);
    }

    /** FAILING until {@code dueAt}, when it becomes ready again. */
    JobRecord retrying(Instant dueAt, JobError lastError) {
        return waiting(JobState.FAILING, seq, attempts, stalls, dueAt, dueAt, lastError);
    }

    JobRecord expiringAt(Instant expiry) {
        return new JobRecord(queue, id, state, priority, seq, createdAt, runAt, attempts, maxAttempts, stalls,
                maxStalls, resultTtl, token, workerId, leaseDeadline, expiry, payload, result, error, metadata,
                readyAt, startedAt, finishedAt);
    }

    private JobRecord waiting(JobState waitingState, long newSeq, int attemptCount, int stallCount, Instant dueAt,
                              Instant ready, JobError lastError) {
        return new JobRecord(queue, id, waitingState, priority, newSeq, createdAt, dueAt, attemptCount, maxAttempts,
                stallCount, maxStalls, resultTtl, token, null, null, null, payload, null, lastError, metadata,
                ready, startedAt, null);
    }

    private JobRecord terminal(JobState terminalState, int stallCount, Instant expiry, byte[] value,
                               JobError failure, Instant now) {
        return new JobRecord(queue, id, terminalState, priority, seq, createdAt, null, attempts, maxAttempts,
                stallCount, maxStalls, resultTtl, token, null, null, expiry, payload, value, failure, metadata,
                readyAt, startedAt, now);
    }
}
