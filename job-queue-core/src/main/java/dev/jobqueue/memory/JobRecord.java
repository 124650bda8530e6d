package dev.jobqueue.memory;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.NewJob;
import java.time.Duration;
import java.util.Map;

/**
 * One job of one queue. The immutable part is set at enqueue; the mutable part changes only while
 * holding this record's monitor, which makes each transition atomic without a queue-wide lock.
 *
 * <p>A record is current in at most one index at a time, matching its state: QUEUED in the ready
 * queue, DELAYED/FAILING in the due index, PROCESSING in the lease index, terminal in the expiry
 * index, the last three ordered by {@link #deadline}. Kept terminal records are most of the heap
 * under steady traffic, so the record holds one time field for the three deadlines a state can
 * have, and no index entry object.
 *
 * <p>An operator retry or promote moves a job to the end of its priority's FIFO: a new record with
 * a new {@link #sequence} replaces this one in the job table ({@link #successor}), so that no
 * index ever sees an entry's order key change under it. The replaced record is {@link #gone}.
 */
final class JobRecord {
    final String id;
    /**
     * Owned by the storage: copied in at enqueue, copied out at claim, status and listing. Kept
     * while the record is: an operator may retry a FAILED or CANCELLED job, and listings show it.
     */
    final byte[] payload;
    final int priority;
    /** Enqueue order: FIFO position within a priority, kept across retries and requeues. */
    final long sequence;
    final long createdAt;
    final int maxAttempts;
    final int maxStalls;
    final Duration resultTtl;
    /** As enqueued (an unmodifiable copy, shared with snapshots and claims). */
    final Map<String, String> metadata;

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
    /** When the job last became claimable (see {@code ClaimedJob.readyAt}). */
    long readyAt;
    /** When the latest claim was made, {@link Millis#NONE} before the first. */
    long startedAt = Millis.NONE;
    /** When the job became COMPLETED, FAILED or CANCELLED, else {@link Millis#NONE}. */
    long finishedAt = Millis.NONE;
    /** A caller waits for the outcome: a deleted waiting job is reported CANCELLED. */
    boolean notifyOnTerminal;
    /**
     * Set once the record left the job map (expired, deleted or replaced); it then counts nowhere.
     * Volatile so the ready queue can skip deleted entries without taking the record's monitor.
     */
    volatile boolean gone;

    JobRecord(NewJob job, byte[] payload, long sequence, long createdAt) {
        this.id = job.id();
        this.payload = payload;
        this.priority = job.priority();
        this.sequence = sequence;
        this.createdAt = createdAt;
        this.maxAttempts = job.maxAttempts();
        this.maxStalls = job.maxStalls();
        this.resultTtl = job.resultTtl();
        this.metadata = job.metadata();
        this.notifyOnTerminal = job.notifyOnTerminal();
        this.readyAt = createdAt;
    }

    private JobRecord(JobRecord old, long sequence) {
        this.id = old.id;
        this.payload = old.payload;
        this.priority = old.priority;
        this.sequence = sequence;
        this.createdAt = old.createdAt;
        this.maxAttempts = old.maxAttempts;
        this.maxStalls = old.maxStalls;
        this.resultTtl = old.resultTtl;
        this.metadata = old.metadata;
        this.notifyOnTerminal = old.notifyOnTerminal;
        this.fencingToken = old.fencingToken;
    }

    /** A stand-in with only a claim-order key, to find a position in the ready queue. */
    private JobRecord(int priority, long sequence) {
        this.id = "";
        this.payload = null;
        this.priority = priority;
        this.sequence = sequence;
        this.createdAt = Millis.NONE;
        this.maxAttempts = 0;
        this.maxStalls = 0;
        this.resultTtl = null;
        this.metadata = Map.of();
        this.state = JobState.QUEUED;
        this.gone = true; // never a real job: not ready, not current in any index
    }

    /** A position in claim order (priority, sequence), for listing cursors; never stored. */
    static JobRecord probe(int priority, long sequence) {
        return new JobRecord(priority, sequence);
    }

    /**
     * The same job at a new FIFO position, QUEUED and ready from {@code now}, keeping its attempts,
     * stalls and start time (the caller resets what an operator retry resets). Caller holds this
     * record's monitor and retires it.
     */
    JobRecord successor(long sequence, long now) {
        JobRecord next = new JobRecord(this, sequence);
        next.attempts = attempts;
        next.stalls = stalls;
        next.startedAt = startedAt;
        next.readyAt = now;
        next.state = JobState.QUEUED;
        return next;
    }

    /** QUEUED and still stored: what the ready queue hands out (read without the monitor, re-checked under it). */
    boolean isReady() {
        return state == JobState.QUEUED && !gone;
    }

    /** Terminal and past its expiry, whether or not the purge has removed it yet. Caller holds the monitor. */
    boolean expiredAt(long now) {
        return gone || (state.isTerminal() && deadline <= now);
    }

    private long deadlineIf(boolean applies) {
        return applies ? deadline : Millis.NONE;
    }

    /** A copy of the record's current view, without payload and metadata. Caller holds the monitor. */
    JobSnapshot snapshot() {
        return snapshot(state, false);
    }

    /** A copy of the record's current view with its payload and metadata. Caller holds the monitor. */
    JobSnapshot fullSnapshot() {
        return snapshot(state, true);
    }

    /**
     * The record as if it had been cancelled now: what waiting callers are told when an operator
     * deletes a job that never finished. Caller holds the monitor.
     */
    JobSnapshot deletedSnapshot(long now) {
        return new JobSnapshot(id, JobState.CANCELLED, priority, Millis.toInstant(createdAt), null,
                attempts, maxAttempts, stalls, null, null, null, null, null,
                null, Map.of(), Millis.toInstant(startedAt), Millis.toInstant(now));
    }

    private JobSnapshot snapshot(JobState s, boolean withPayload) {
        long runAt = deadlineIf(s == JobState.DELAYED || s == JobState.FAILING);
        long expiresAt = deadlineIf(s.isTerminal());
        long leaseDeadline = deadlineIf(s == JobState.PROCESSING);
        return new JobSnapshot(id, s, priority, Millis.toInstant(createdAt), Millis.toInstant(runAt),
                attempts, maxAttempts, stalls, result == null ? null : result.clone(), error,
                Millis.toInstant(expiresAt), workerId, Millis.toInstant(leaseDeadline),
                withPayload ? payload.clone() : null, withPayload ? metadata : Map.of(),
                Millis.toInstant(startedAt), Millis.toInstant(finishedAt));
    }
}
