package dev.jobqueue.memory;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.NewJob;

/**
 * One job of one queue. The immutable part is set at enqueue; the mutable part changes only while
 * holding this record's monitor, which makes each transition atomic without a queue-wide lock.
 *
 * <p>A record is current in at most one index at a time, matching its state: QUEUED in the ready
 * queue, DELAYED/FAILING in the due index, PROCESSING in the lease index, terminal in the expiry
 * index, the last three ordered by {@link #deadline}. Kept terminal records are most of the heap
 * under steady traffic, so the record holds one time field for the three deadlines a state can
 * have, and no index entry object.
 */
final class JobRecord {
    final String id;
    /**
     * Owned by the storage: copied in at enqueue, copied out at claim. Dropped (null) once the job
     * is terminal, as nothing reads it then: kept results cost their result, not their payload.
     */
    byte[] payload;
    final int priority;
    /** Enqueue order: FIFO position within a priority, kept across retries and requeues. */
    final long sequence;
    final long createdAt;
    final int maxAttempts;
    final int maxStalls;
    final java.time.Duration resultTtl;

    /** Volatile so the ready queue can skip cancelled entries without taking the record's monitor. */
    volatile JobState state;
    /**
     * The one deadline of the current state: due time (DELAYED, FAILING), lease deadline
     * (PROCESSING) or expiry (COMPLETED, FAILED, CANCELLED); {@link Millis#NONE} when QUEUED.
     */
    long deadline = Millis.NONE;
    int attempts;
    int stalls;
    byte[] result;
    JobError error;
    String workerId;
    long fencingToken;
    /** Set once the record left the job map (expired or replaced); it then counts nowhere. */
    boolean gone;

    JobRecord(NewJob job, byte[] payload, long sequence, long createdAt) {
        this.id = job.id();
        this.payload = payload;
        this.priority = job.priority();
        this.sequence = sequence;
        this.createdAt = createdAt;
        this.maxAttempts = job.maxAttempts();
        this.maxStalls = job.maxStalls();
        this.resultTtl = job.resultTtl();
    }

    /** Terminal and past its expiry, whether or not the purge has removed it yet. Caller holds the monitor. */
    boolean expiredAt(long now) {
        return gone || (state.isTerminal() && deadline <= now);
    }

    private long deadlineIf(boolean applies) {
        return applies ? deadline : Millis.NONE;
    }

    /** A copy of the record's current view. Caller holds the monitor. */
    JobSnapshot snapshot() {
        JobState s = state;
        long runAt = deadlineIf(s == JobState.DELAYED || s == JobState.FAILING);
        long expiresAt = deadlineIf(s.isTerminal());
        long leaseDeadline = deadlineIf(s == JobState.PROCESSING);
        return new JobSnapshot(id, s, priority, Millis.toInstant(createdAt), Millis.toInstant(runAt),
                attempts, maxAttempts, stalls, result == null ? null : result.clone(), error,
                Millis.toInstant(expiresAt), workerId, Millis.toInstant(leaseDeadline));
    }
}
