package dev.jobqueue.contract;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.JobTransitions;
import dev.jobqueue.spi.JobTransitions.Operation;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An obviously-correct model of one queue of a {@link dev.jobqueue.spi.Storage}: plain maps and
 * full scans, written to be read, not to be fast. {@link StorageStatefulProperties} runs random
 * operations against a storage and this model and compares every answer.
 *
 * <p>The model states the contract's rules in code: claim order is priority (higher first) then
 * enqueue order (kept across retries and requeues); due DELAYED/FAILING jobs are promoted by a
 * claim; a deadline at or before now has passed; times have millisecond precision; a CANCELLED
 * record is kept for the job's result TTL and does not block a new enqueue. An operator retry or
 * promote puts the job at the end of its priority's FIFO; a paused queue's claims take nothing.
 * A snooze makes the job DELAYED and takes its attempt back; a cancel of a PROCESSING job ends its
 * lease. Recurring schedules are kept byte for byte, sorted by id, versioned from 1, and advanced
 * only from their current version.
 * Each job keeps its metadata and timing (readyAt, startedAt, finishedAt) as the contract
 * defines them.
 *
 * <!-- snippet: reference-model -->
 * <pre>{@code
 * ReferenceModel model = new ReferenceModel(clock);
 * EnqueueOutcome expected = model.enqueue(job);
 * }</pre>
 *
 * <p>Fencing tokens are the storage's to choose; the model is told them with {@link #assignToken}.
 *
 * <p>Every state change of the model goes through {@link JobTransitions}: a change the table does
 * not allow throws, so the model cannot drift from the one table the storages implement.
 */
public final class ReferenceModel {
    private static final class Job {
        String id;
        byte[] payload;
        int priority;
        long enqueueOrder;
        Instant createdAt;
        int maxAttempts;
        int maxStalls;
        Duration resultTtl;
        JobState state;
        Instant runAt;
        int attempts;
        int stalls;
        byte[] result;
        JobError error;
        Instant expiresAt;
        String workerId;
        Instant leaseDeadline;
        long token;
        Map<String, String> metadata;
        Instant readyAt;
        Instant startedAt;
        Instant finishedAt;

        JobSnapshot snapshot() {
            return new JobSnapshot(id, state, priority, createdAt, runAt, attempts, maxAttempts, stalls,
                    result == null ? null : result.clone(), error, expiresAt, workerId, leaseDeadline,
                    payload.clone(), metadata, startedAt, finishedAt);
        }
    }

    private final Clock clock;
    private final Map<String, Job> jobs = new HashMap<>();
    /** Recurring schedules by id, sorted as listSchedules returns them. */
    private final TreeMap<String, ScheduleRecord> schedules = new TreeMap<>();
    private long enqueueCounter;
    private boolean paused;

    /**
     * An empty model.
     *
     * @param clock the clock the storage under test follows; the model reads "now" from it
     */
    public ReferenceModel(Clock clock) {
        this.clock = clock;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static boolean reached(Instant deadline, Instant now) {
        return !deadline.isAfter(now);
    }

    /** The job if it exists and has not expired. */
    private Job live(String id) {
        Job j = jobs.get(id);
        if (j == null) {
            return null;
        }
        if (j.expiresAt != null && reached(j.expiresAt, now())) {
            check(Operation.EXPIRE, j.state, null);
            jobs.remove(id);
            return null;
        }
        return j;
    }

    private void forgetExpired() {
        new ArrayList<>(jobs.keySet()).forEach(this::live);
    }

    /** Moves the job, as the table allows; a move the table does not list is a bug of the model. */
    private static void move(Job j, Operation operation, JobState to) {
        j.state = check(operation, j.state, to);
    }

    private static JobState check(Operation operation, JobState from, JobState to) {
        if (!JobTransitions.allows(operation, from, to)) {
            throw new IllegalStateException("the model moved a job " + from + " -> " + to + " by " + operation
                    + ", which JobTransitions does not allow");
        }
        return to;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#enqueue} must do and answer.
     *
     * @param n the job to enqueue
     * @return the expected outcome
     */
    public EnqueueOutcome enqueue(NewJob n) {
        Job existing = live(n.id());
        if (existing != null && existing.state != JobState.CANCELLED) {
            return EnqueueOutcome.duplicate(existing.snapshot());
        }
        Instant now = now();
        Instant runAt = n.runAt() != null ? Instant.ofEpochMilli(n.runAt().toEpochMilli()) : now.plusMillis(n.delay().toMillis());
        JobState replaced = existing == null ? null : existing.state;
        Job j = new Job();
        j.id = n.id();
        j.payload = n.payload().clone();
        j.priority = n.priority();
        j.enqueueOrder = enqueueCounter++;
        j.createdAt = now;
        j.maxAttempts = n.maxAttempts();
        j.maxStalls = n.maxStalls();
        j.resultTtl = n.resultTtl();
        j.metadata = n.metadata();
        if (reached(runAt, now)) {
            j.state = check(Operation.ENQUEUE, replaced, JobState.QUEUED);
            j.readyAt = now;
        } else {
            j.state = check(Operation.ENQUEUE, replaced, JobState.DELAYED);
            j.runAt = runAt;
            j.readyAt = runAt;
        }
        jobs.put(j.id, j);
        return EnqueueOutcome.newlyCreated();
    }

    /**
     * The jobs a claim takes, in order; their fencing tokens are 0 until {@link #assignToken}.
     *
     * @param workerId the claiming worker
     * @param max the most jobs to take
     * @param lease the lease length
     * @return the expected claimed jobs
     */
    public List<ClaimedJob> claim(String workerId, int max, Duration lease) {
        forgetExpired();
        if (paused) {
            return List.of();
        }
        Instant now = now();
        for (Job j : jobs.values()) {
            if ((j.state == JobState.DELAYED || j.state == JobState.FAILING) && reached(j.runAt, now)) {
                move(j, Operation.PROMOTE, JobState.QUEUED);
                j.readyAt = j.runAt;
                j.runAt = null;
                j.error = null;
            }
        }
        List<ClaimedJob> claimed = new ArrayList<>();
        for (Job j : inClaimOrder()) {
            if (claimed.size() == max) {
                break;
            }
            move(j, Operation.CLAIM, JobState.PROCESSING);
            j.attempts++;
            j.workerId = workerId;
            j.leaseDeadline = now.plusMillis(lease.toMillis());
            j.token = 0;
            j.startedAt = now;
            claimed.add(new ClaimedJob(j.id, j.payload.clone(), j.attempts, j.maxAttempts, j.createdAt, 0, j.leaseDeadline,
                    j.metadata, j.readyAt, now));
        }
        return claimed;
    }

    private List<Job> inClaimOrder() {
        List<Job> queued = new ArrayList<>();
        for (Job j : jobs.values()) {
            if (j.state == JobState.QUEUED) {
                queued.add(j);
            }
        }
        queued.sort(Comparator.comparingInt((Job j) -> -j.priority).thenComparingLong(j -> j.enqueueOrder));
        return queued;
    }

    /**
     * Records the fencing token the storage gave the claim of {@code id}.
     *
     * @param id a job the model has claimed
     * @param token the token the storage returned for it
     */
    public void assignToken(String id, long token) {
        jobs.get(id).token = token;
    }

    private Job heldBy(LeaseRef lease) {
        Job j = live(lease.jobId());
        return j != null && j.state == JobState.PROCESSING && j.token == lease.fencingToken() ? j : null;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#extend} must do and answer.
     *
     * @param leases the claims to extend
     * @param lease the new lease length, from now
     * @return the expected ids whose lease was lost
     */
    public List<String> extend(List<LeaseRef> leases, Duration lease) {
        List<String> lost = new ArrayList<>();
        for (LeaseRef ref : leases) {
            Job j = heldBy(ref);
            if (j == null) {
                lost.add(ref.jobId());
            } else {
                j.leaseDeadline = now().plusMillis(lease.toMillis());
            }
        }
        return lost;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#complete} must do and answer.
     *
     * @param lease the claim: job id and fencing token
     * @param result the result bytes
     * @param resultTtl the TTL override, or {@code null}
     * @return the expected outcome
     */
    public TransitionOutcome complete(LeaseRef lease, byte[] result, Duration resultTtl) {
        Job j = heldBy(lease);
        if (j == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        finish(j, Operation.COMPLETE, JobState.COMPLETED, resultTtl);
        j.result = result.clone();
        return TransitionOutcome.APPLIED;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#fail} must do and answer.
     *
     * @param lease the claim: job id and fencing token
     * @param error the error to persist
     * @param resultTtl the TTL override, or {@code null}
     * @return the expected outcome
     */
    public TransitionOutcome fail(LeaseRef lease, JobError error, Duration resultTtl) {
        Job j = heldBy(lease);
        if (j == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        finish(j, Operation.FAIL, JobState.FAILED, resultTtl);
        j.error = error;
        return TransitionOutcome.APPLIED;
    }

    private void finish(Job j, Operation operation, JobState terminal, Duration ttlOverride) {
        Duration ttl = ttlOverride != null ? ttlOverride : j.resultTtl;
        move(j, operation, terminal);
        j.expiresAt = now().plusMillis(ttl.toMillis());
        j.finishedAt = now();
        j.workerId = null;
        j.leaseDeadline = null;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#retry} must do and answer.
     *
     * @param lease the claim: job id and fencing token
     * @param backoff the wait before the job is due again
     * @param lastError the attempt's error
     * @return the expected outcome
     */
    public TransitionOutcome retry(LeaseRef lease, Duration backoff, JobError lastError) {
        Job j = heldBy(lease);
        if (j == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        move(j, Operation.RETRY, JobState.FAILING);
        j.runAt = now().plusMillis(backoff.toMillis());
        j.error = lastError;
        j.workerId = null;
        j.leaseDeadline = null;
        return TransitionOutcome.APPLIED;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#release} must do and answer.
     *
     * @param lease the claim: job id and fencing token
     * @return the expected outcome
     */
    public TransitionOutcome release(LeaseRef lease) {
        Job j = heldBy(lease);
        if (j == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        move(j, Operation.RELEASE, JobState.QUEUED);
        j.readyAt = now();
        j.workerId = null;
        j.leaseDeadline = null;
        return TransitionOutcome.APPLIED;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#snooze} must do and answer: DELAYED, due {@code delay}
     * from now, the claim's attempt taken back, error and stalls kept.
     *
     * @param lease the claim: job id and fencing token
     * @param delay the wait before the job is due again
     * @return the expected outcome
     */
    public TransitionOutcome snooze(LeaseRef lease, Duration delay) {
        Job j = heldBy(lease);
        if (j == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        move(j, Operation.SNOOZE, JobState.DELAYED);
        j.runAt = now().plusMillis(delay.toMillis());
        j.attempts--;
        j.workerId = null;
        j.leaseDeadline = null;
        return TransitionOutcome.APPLIED;
    }

    /**
     * PROCESSING jobs whose lease has ended, earliest deadline first (ties in id order).
     *
     * @return the records, in the order {@code requeueExpired} handles them
     */
    public List<JobSnapshot> expiredLeases() {
        forgetExpired();
        Instant now = now();
        List<JobSnapshot> expired = new ArrayList<>();
        for (Job j : jobs.values()) {
            if (j.state == JobState.PROCESSING && reached(j.leaseDeadline, now)) {
                expired.add(j.snapshot());
            }
        }
        expired.sort(Comparator.comparing(JobSnapshot::leaseDeadline).thenComparing(JobSnapshot::id));
        return expired;
    }

    /**
     * Counts a stall of the expired job {@code id}: requeued, or FAILED past its maxStalls.
     *
     * @param id a job listed by {@link #expiredLeases()}
     * @return the expected report of {@code requeueExpired} for it
     */
    public StalledJob stall(String id) {
        Job j = live(id);
        String workerId = j.workerId;
        j.stalls++;
        j.workerId = null;
        j.leaseDeadline = null;
        if (j.stalls > j.maxStalls) {
            Instant now = now();
            move(j, Operation.STALL, JobState.FAILED);
            j.error = new JobError(JobError.STALLED_TYPE, "stalled", null, null, j.attempts, now);
            j.expiresAt = now.plusMillis(j.resultTtl.toMillis());
            j.finishedAt = now;
        } else {
            move(j, Operation.STALL, JobState.QUEUED);
            j.readyAt = now();
        }
        return new StalledJob(id, workerId, j.stalls, j.state);
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#cancel} must do and answer.
     *
     * @param id the job's id
     * @return the expected outcome
     */
    public CancelResult cancel(String id) {
        Job j = live(id);
        if (j == null) {
            return CancelResult.NOT_FOUND;
        }
        switch (j.state) {
            case COMPLETED:
                return CancelResult.COMPLETED;
            case FAILED:
                return CancelResult.FAILED;
            case CANCELLED:
                return CancelResult.CANCELLED;
            default: // QUEUED, DELAYED, FAILING, PROCESSING (its lease ends with the cancel)
                move(j, Operation.CANCEL, JobState.CANCELLED);
                j.workerId = null;
                j.leaseDeadline = null;
                j.runAt = null;
                j.error = null;
                j.expiresAt = now().plusMillis(j.resultTtl.toMillis());
                j.finishedAt = now();
                return CancelResult.CANCELLED;
        }
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#status} must answer.
     *
     * @param id the job's id
     * @return the expected record; empty when unknown or expired
     */
    public Optional<JobSnapshot> status(String id) {
        Job j = live(id);
        return j == null ? Optional.empty() : Optional.of(j.snapshot());
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#updateResultTtl} must do and answer.
     *
     * @param id the job's id
     * @param ttl the new TTL, from now
     * @return the expected outcome
     */
    public TtlUpdateResult updateResultTtl(String id, Duration ttl) {
        Job j = live(id);
        if (j == null) {
            return TtlUpdateResult.NOT_FOUND;
        }
        if (j.state != JobState.COMPLETED && j.state != JobState.FAILED) {
            return TtlUpdateResult.NOT_TERMINAL;
        }
        j.expiresAt = now().plusMillis(ttl.toMillis());
        return TtlUpdateResult.UPDATED;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#retryJob} must do and answer.
     *
     * @param id the job's id
     * @return the expected outcome
     */
    public RetryResult retryJob(String id) {
        Job j = live(id);
        if (j == null) {
            return RetryResult.NOT_FOUND;
        }
        if (j.state != JobState.FAILED && j.state != JobState.CANCELLED) {
            return RetryResult.NOT_RETRYABLE;
        }
        move(j, Operation.RETRY_JOB, JobState.QUEUED);
        toTheEndOfTheQueue(j);
        j.attempts = 0;
        j.stalls = 0;
        j.result = null;
        j.expiresAt = null;
        j.startedAt = null;
        j.finishedAt = null;
        return RetryResult.RETRIED;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#promote} must do and answer.
     *
     * @param id the job's id
     * @return the expected outcome
     */
    public PromoteResult promote(String id) {
        Job j = live(id);
        if (j == null) {
            return PromoteResult.NOT_FOUND;
        }
        if (j.state != JobState.DELAYED && j.state != JobState.FAILING) {
            return PromoteResult.NOT_DELAYED;
        }
        move(j, Operation.PROMOTE, JobState.QUEUED);
        toTheEndOfTheQueue(j);
        return PromoteResult.PROMOTED;
    }

    /** QUEUED from now, after every job enqueued so far. */
    private void toTheEndOfTheQueue(Job j) {
        j.enqueueOrder = enqueueCounter++;
        j.readyAt = now();
        j.runAt = null;
        j.error = null;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#deleteJob} must do and answer.
     *
     * @param id the job's id
     * @return the expected outcome
     */
    public DeleteResult deleteJob(String id) {
        Job j = live(id);
        if (j == null) {
            return DeleteResult.NOT_FOUND;
        }
        if (j.state == JobState.PROCESSING) {
            return DeleteResult.PROCESSING;
        }
        check(Operation.DELETE, j.state, null);
        jobs.remove(id);
        return DeleteResult.DELETED;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#setPaused} must do and answer.
     *
     * @param pause true to pause
     * @return whether the flag changed
     */
    public boolean setPaused(boolean pause) {
        boolean changed = paused != pause;
        paused = pause;
        return changed;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#isPaused} must answer.
     *
     * @return true while paused
     */
    public boolean isPaused() {
        return paused;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#upsertSchedule} must do and answer.
     *
     * @param id the schedule's id
     * @param definition the definition bytes
     * @param nextFireAt the fire time when new or changed
     * @return the expected record after the call
     */
    public ScheduleRecord upsertSchedule(String id, byte[] definition, Instant nextFireAt) {
        ScheduleRecord old = schedules.get(id);
        if (old != null && Arrays.equals(old.definition(), definition)) {
            return copy(old);
        }
        ScheduleRecord next = new ScheduleRecord(id, definition.clone(), millis(nextFireAt), old == null ? 1 : old.version() + 1);
        schedules.put(id, next);
        return copy(next);
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#removeSchedule} must do and answer.
     *
     * @param id the schedule's id
     * @return whether it existed
     */
    public boolean removeSchedule(String id) {
        return schedules.remove(id) != null;
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#listSchedules} must answer: every schedule, sorted by id.
     *
     * @return the expected records
     */
    public List<ScheduleRecord> listSchedules() {
        return schedules.values().stream().map(ReferenceModel::copy).toList();
    }

    /**
     * Every due schedule (nextFireAt at or before now), earliest first, ties by id; a storage
     * returns the first {@code limit} of them, ordering ties as it likes.
     *
     * @return the due records
     */
    public List<ScheduleRecord> dueSchedules() {
        Instant now = now();
        return schedules.values().stream().filter(r -> reached(r.nextFireAt(), now))
                .sorted(Comparator.comparing(ScheduleRecord::nextFireAt).thenComparing(ScheduleRecord::id))
                .map(ReferenceModel::copy).toList();
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#advanceSchedule} must do and answer.
     *
     * @param id the schedule's id
     * @param expectedVersion the version the caller read
     * @param nextFireAt the new fire time
     * @return whether the schedule was advanced
     */
    public boolean advanceSchedule(String id, long expectedVersion, Instant nextFireAt) {
        ScheduleRecord old = schedules.get(id);
        if (old == null || old.version() != expectedVersion) {
            return false;
        }
        schedules.put(id, new ScheduleRecord(id, old.definition(), millis(nextFireAt), old.version() + 1));
        return true;
    }

    /**
     * The current version of schedule {@code id}, for generating advances that win.
     *
     * @param id the schedule's id
     * @return the version, or empty when there is no such schedule
     */
    public Optional<Long> scheduleVersion(String id) {
        return Optional.ofNullable(schedules.get(id)).map(ScheduleRecord::version);
    }

    private static ScheduleRecord copy(ScheduleRecord r) {
        return new ScheduleRecord(r.id(), r.definition().clone(), r.nextFireAt(), r.version());
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The key of {@code id} in its state's listing order (see {@link dev.jobqueue.ListOrder}):
     * for QUEUED its place in claim order, else its due time, lease deadline or expiry in epoch
     * milliseconds. Ties are broken by each storage's own order.
     *
     * @param id a live job
     * @return the key; smaller is older
     */
    public long listingKey(String id) {
        Job j = live(id);
        return switch (j.state) {
            case QUEUED -> inClaimOrder().indexOf(j);
            case DELAYED, FAILING -> j.runAt.toEpochMilli();
            case PROCESSING -> j.leaseDeadline.toEpochMilli();
            default -> j.expiresAt.toEpochMilli();
        };
    }

    /**
     * What {@link dev.jobqueue.spi.Storage#counts} must answer.
     *
     * @return the expected number of jobs in each state
     */
    public Map<JobState, Long> counts() {
        forgetExpired();
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            counts.put(s, 0L);
        }
        for (Job j : jobs.values()) {
            counts.merge(j.state, 1L, Long::sum);
        }
        return counts;
    }

    /**
     * QUEUED ids in claim order.
     *
     * @return the ids, in the order claims would take them
     */
    public List<String> queuedInClaimOrder() {
        forgetExpired();
        List<String> ids = new ArrayList<>();
        for (Job j : inClaimOrder()) {
            ids.add(j.id);
        }
        return ids;
    }

    /**
     * Ids in {@code state}, sorted by id (for states whose listing order has ties).
     *
     * @param state the state to list
     * @return the ids, sorted
     */
    public List<String> idsIn(JobState state) {
        forgetExpired();
        List<String> ids = new ArrayList<>();
        for (Job j : jobs.values()) {
            if (j.state == state) {
                ids.add(j.id);
            }
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }
}
