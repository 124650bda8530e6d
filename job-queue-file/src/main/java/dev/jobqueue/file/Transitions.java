package dev.jobqueue.file;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decisions of every storage operation, made on the caught-up index at {@code now}: which
 * record (if any) each call writes and what it answers. Runs only on the storage loop thread,
 * under the directory lock, so each method is one atomic step across threads and processes.
 */
final class Transitions {
    private final StateIndex state;
    private final Changes changes;

    Transitions(StateIndex state, Changes changes) {
        this.state = state;
        this.changes = changes;
    }

    /** Drops terminal records whose TTL ended, before any decision of the batch. */
    void sweepExpired(Instant now) {
        state.sweepExpired(now);
    }

    EnqueueOutcome enqueue(String queue, NewJob job, Instant now) {
        JobRecord existing = state.find(queue).live(job.id(), now);
        if (existing != null && existing.state() != JobState.CANCELLED) {
            return EnqueueOutcome.duplicate(existing.snapshot());
        }
        Instant runAt = job.runAt() != null ? job.runAt().truncatedTo(ChronoUnit.MILLIS) : later(now, job.delay());
        boolean due = !runAt.isAfter(now);
        changes.put(new JobRecord(queue, job.id(), due ? JobState.QUEUED : JobState.DELAYED, job.priority(),
                state.nextSeq(), now, due ? null : runAt, 0, job.maxAttempts(), 0, job.maxStalls(),
                job.resultTtl(), 0, null, null, null, job.payload(), null, null, job.metadata(),
                due ? now : runAt, null, null), true);
        return EnqueueOutcome.newlyCreated();
    }

    /**
     * Takes up to {@code max} jobs, fewer when the queue's limits allow fewer: the running count
     * and the rate window are read here, in the same step that writes the claims (under the
     * directory lock, after catching up), so no two claimers of any process exceed a limit together.
     * A claim that takes nothing says when trying again makes sense: the next due job, the end of
     * a throttle, or when the rate window frees a slot.
     */
    ClaimAttempt claim(String queue, String workerId, int max, Duration lease, Instant now) {
        QueueIndex q = state.find(queue);
        if (q.isPaused()) {
            return new ClaimAttempt(List.of(), null);
        }
        Instant throttledUntil = q.throttledUntil();
        if (throttledUntil != null && throttledUntil.isAfter(now)) {
            return new ClaimAttempt(List.of(), throttledUntil);
        }
        for (JobRecord due : q.due(now)) {
            changes.put(due.dueNow(), false);
        }
        int allowed = max;
        Instant retryAt = null;
        QueueLimits limits = q.limits();
        if (limits.maxRunning() > 0) {
            allowed = Math.min(allowed, limits.maxRunning() - q.running());
        }
        if (limits.rateLimit() > 0) {
            int free = limits.rateLimit() - q.rateWindow().count(now, limits.ratePeriod());
            if (free <= 0) {
                retryAt = q.rateWindow().nextFree(limits.ratePeriod());
            }
            allowed = Math.min(allowed, free);
        }
        if (allowed <= 0) {
            return new ClaimAttempt(List.of(), earliest(retryAt, q.nextDue()));
        }
        List<ClaimedJob> claimed = new ArrayList<>();
        Instant deadline = later(now, lease);
        JobRecord next;
        while (claimed.size() < allowed && (next = q.firstReady()) != null) {
            JobRecord job = next.claimed(state.nextToken(), workerId, deadline, now);
            changes.put(job, false);
            claimed.add(new ClaimedJob(job.id(), job.payload(), job.attempts(), job.maxAttempts(),
                    job.createdAt(), job.token(), deadline, job.metadata(), job.readyAt(), now));
        }
        return new ClaimAttempt(claimed, q.nextDue());
    }

    List<String> extend(String queue, List<LeaseRef> leases, Duration lease, Instant now) {
        List<String> lost = new ArrayList<>();
        for (LeaseRef ref : leases) {
            JobRecord job = held(queue, ref, now);
            if (job == null) {
                lost.add(ref.jobId());
            } else {
                changes.put(job.leaseExtended(later(now, lease)), false);
            }
        }
        return lost;
    }

    TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl, Instant now) {
        JobRecord job = held(queue, lease, now);
        if (job == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        changes.put(job.completed(result, later(now, resultTtl != null ? resultTtl : job.resultTtl()), now), false);
        return TransitionOutcome.APPLIED;
    }

    TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl, Instant now) {
        JobRecord job = held(queue, lease, now);
        if (job == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        changes.put(job.failed(error, job.stalls(), later(now, resultTtl != null ? resultTtl : job.resultTtl()), now),
                false);
        return TransitionOutcome.APPLIED;
    }

    TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError, Instant now) {
        JobRecord job = held(queue, lease, now);
        if (job == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        changes.put(job.retrying(later(now, backoff), lastError), false);
        return TransitionOutcome.APPLIED;
    }

    /** {@code unstarted}: the handler never ran, so the attempt the claim counted is taken back. */
    TransitionOutcome release(String queue, LeaseRef lease, boolean unstarted, Instant now) {
        JobRecord job = held(queue, lease, now);
        if (job == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        changes.put(unstarted ? job.unclaimed(now) : job.queued(now), false);
        return TransitionOutcome.APPLIED;
    }

    /** PROCESSING → DELAYED until {@code now + delay}, the attempt taken back. */
    TransitionOutcome snooze(String queue, LeaseRef lease, Duration delay, Instant now) {
        JobRecord job = held(queue, lease, now);
        if (job == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        changes.put(job.snoozed(later(now, delay)), false);
        return TransitionOutcome.APPLIED;
    }

    List<StalledJob> requeueExpired(String queue, int limit, Instant now) {
        List<StalledJob> stalled = new ArrayList<>();
        for (JobRecord job : state.find(queue).expiredLeases(now, limit)) {
            int stalls = job.stalls() + 1;
            JobRecord next;
            if (stalls > job.maxStalls()) {
                JobError error = new JobError(JobError.STALLED_TYPE,
                        "lease expired " + stalls + " times (maxStalls " + job.maxStalls() + ")",
                        null, null, job.attempts(), now);
                next = job.failed(error, stalls, later(now, job.resultTtl()), now);
            } else {
                next = job.requeuedAfterStall(now);
            }
            changes.put(next, false);
            stalled.add(new StalledJob(job.id(), job.workerId(), stalls, next.state()));
        }
        return stalled;
    }

    CancelResult cancel(String queue, String jobId, Instant now) {
        JobRecord job = state.find(queue).live(jobId, now);
        if (job == null) {
            return CancelResult.NOT_FOUND;
        }
        return switch (job.state()) {
            case QUEUED, DELAYED, FAILING, PROCESSING -> {
                // A PROCESSING job's lease ends with it: the record leaves the lease index, and its
                // token fences every later call of the worker (held() wants PROCESSING).
                changes.put(job.cancelled(later(now, job.resultTtl()), now), false);
                yield CancelResult.CANCELLED;
            }
            case CANCELLED -> CancelResult.CANCELLED;
            case COMPLETED -> CancelResult.COMPLETED;
            case FAILED -> CancelResult.FAILED;
        };
    }

    Optional<JobSnapshot> status(String queue, String jobId, Instant now) {
        return Optional.ofNullable(state.find(queue).live(jobId, now)).map(JobRecord::snapshot);
    }

    TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl, Instant now) {
        JobRecord job = state.find(queue).live(jobId, now);
        if (job == null) {
            return TtlUpdateResult.NOT_FOUND;
        }
        if (job.state() != JobState.COMPLETED && job.state() != JobState.FAILED) {
            return TtlUpdateResult.NOT_TERMINAL;
        }
        changes.put(job.expiringAt(later(now, ttl)), false);
        return TtlUpdateResult.UPDATED;
    }

    Map<JobState, Long> counts(String queue, Instant now) {
        QueueIndex q = state.find(queue);
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            counts.put(s, q.count(s, now));
        }
        return counts;
    }

    List<String> list(String queue, JobState jobState, int limit, Instant now) {
        return state.find(queue).list(jobState, limit, now);
    }

    SnapshotPage listJobs(String queue, JobState jobState, ListOrder order, String cursor, int limit, Instant now) {
        JobRecord after = cursor == null ? null : ListCursor.decode(cursor, queue, jobState, order);
        List<JobRecord> page = state.find(queue).page(jobState, order, after, limit + 1, now);
        boolean more = page.size() > limit;
        List<JobRecord> jobs = more ? page.subList(0, limit) : page;
        List<JobSnapshot> snapshots = new ArrayList<>(jobs.size());
        jobs.forEach(job -> snapshots.add(job.snapshot()));
        String next = more ? ListCursor.encode(jobs.get(jobs.size() - 1), jobState, order) : null;
        return new SnapshotPage(snapshots, next);
    }

    RetryResult retryJob(String queue, String jobId, Instant now) {
        JobRecord job = state.find(queue).live(jobId, now);
        if (job == null) {
            return RetryResult.NOT_FOUND;
        }
        if (!isRetryable(job)) {
            return RetryResult.NOT_RETRYABLE;
        }
        changes.put(job.retriedByOperator(state.nextSeq(), now), false);
        return RetryResult.RETRIED;
    }

    /** Retries the oldest {@code limit} jobs of {@code jobState} (FAILED or CANCELLED). */
    int retryAll(String queue, JobState jobState, int limit, Instant now) {
        int retried = 0;
        for (JobRecord job : state.find(queue).page(jobState, ListOrder.OLDEST_FIRST, null, limit, now)) {
            if (isRetryable(job)) {
                changes.put(job.retriedByOperator(state.nextSeq(), now), false);
                retried++;
            }
        }
        return retried;
    }

    DeleteResult deleteJob(String queue, String jobId, Instant now) {
        JobRecord job = state.find(queue).live(jobId, now);
        if (job == null) {
            return DeleteResult.NOT_FOUND;
        }
        if (job.state() == JobState.PROCESSING) {
            return DeleteResult.PROCESSING;
        }
        changes.delete(job);
        return DeleteResult.DELETED;
    }

    /** Deletes the oldest {@code limit} jobs of {@code jobState} (not PROCESSING). */
    int purge(String queue, JobState jobState, int limit, Instant now) {
        List<JobRecord> oldest = state.find(queue).page(jobState, ListOrder.OLDEST_FIRST, null, limit, now);
        oldest.forEach(changes::delete);
        return oldest.size();
    }

    PromoteResult promote(String queue, String jobId, Instant now) {
        JobRecord job = state.find(queue).live(jobId, now);
        if (job == null) {
            return PromoteResult.NOT_FOUND;
        }
        if (job.state() != JobState.DELAYED && job.state() != JobState.FAILING) {
            return PromoteResult.NOT_DELAYED;
        }
        changes.put(job.promoted(state.nextSeq(), now), false);
        return PromoteResult.PROMOTED;
    }

    boolean setPaused(String queue, boolean paused) {
        if (state.find(queue).isPaused() == paused) {
            return false;
        }
        changes.setPaused(queue, paused);
        return true;
    }

    void setLimits(String queue, QueueLimits limits) {
        changes.setLimits(queue, limits);
    }

    QueueLimits limits(String queue) {
        return state.find(queue).limits();
    }

    /** Throttles until {@code now + duration} unless a later end is in force; returns the end in force. */
    Instant throttle(String queue, Duration duration, Instant now) {
        Instant until = later(now, duration);
        Instant current = state.find(queue).throttledUntil();
        if (current != null && !until.isAfter(current)) {
            return current;
        }
        changes.throttle(queue, until);
        return until;
    }

    ScheduleRecord upsertSchedule(String queue, String id, byte[] definition, Instant nextFireAt) {
        ScheduleRecord current = state.find(queue).schedules().get(id);
        if (current != null && Arrays.equals(current.definition(), definition)) {
            return QueueSchedules.copy(current);
        }
        ScheduleRecord stored = new ScheduleRecord(id, definition, nextFireAt, current == null ? 1 : current.version() + 1);
        changes.putSchedule(queue, stored);
        return QueueSchedules.copy(stored);
    }

    boolean removeSchedule(String queue, String id) {
        if (state.find(queue).schedules().get(id) == null) {
            return false;
        }
        changes.removeSchedule(queue, id);
        return true;
    }

    List<ScheduleRecord> listSchedules(String queue) {
        return state.find(queue).schedules().list();
    }

    List<ScheduleRecord> dueSchedules(String queue, int limit, Instant now) {
        return state.find(queue).schedules().due(now, limit);
    }

    boolean advanceSchedule(String queue, String id, long expectedVersion, Instant nextFireAt) {
        ScheduleRecord current = state.find(queue).schedules().get(id);
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        changes.advanceSchedule(queue, id, nextFireAt, expectedVersion + 1);
        return true;
    }

    List<String> queueNames(Instant now) {
        return state.queueNames(now);
    }

    FinishedTotals finishedTotals(String queue) {
        return state.totals(queue);
    }

    boolean isPaused(String queue) {
        return state.find(queue).isPaused();
    }

    boolean acquireLock(String queue, String lock, String owner, Duration ttl, Instant now) {
        LockRecord current = state.find(queue).lock(lock);
        if (current != null && !current.isFreeAt(now)) {
            return false;
        }
        changes.putLock(new LockRecord(queue, lock, owner, later(now, ttl)));
        return true;
    }

    boolean renewLock(String queue, String lock, String owner, Duration ttl, Instant now) {
        LockRecord current = state.find(queue).lock(lock);
        if (current == null || !current.isHeldBy(owner, now)) {
            return false;
        }
        changes.putLock(new LockRecord(queue, lock, owner, later(now, ttl)));
        return true;
    }

    boolean releaseLock(String queue, String lock, String owner, Instant now) {
        LockRecord current = state.find(queue).lock(lock);
        if (current == null || !current.isHeldBy(owner, now)) {
            return false;
        }
        changes.removeLock(queue, lock);
        return true;
    }

    /** {@code now + amount} at the storage's millisecond precision, saturating far in the future. */
    static Instant later(Instant now, Duration amount) {
        long millis;
        try {
            millis = Math.addExact(now.toEpochMilli(), amount.toMillis());
        } catch (ArithmeticException e) {
            millis = Long.MAX_VALUE / 2;
        }
        return Instant.ofEpochMilli(Math.min(millis, Long.MAX_VALUE / 2));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    /**
     * FAILED or CANCELLED with a known payload: a terminal record read from a snapshot of a build
     * before record version 2 has none, so it cannot run again.
     */
    private static boolean isRetryable(JobRecord job) {
        return (job.state() == JobState.FAILED || job.state() == JobState.CANCELLED) && job.payload() != null;
    }

    /** The job when {@code lease} is its current claim, else {@code null} (the lease was lost). */
    private JobRecord held(String queue, LeaseRef lease, Instant now) {
        JobRecord job = state.find(queue).live(lease.jobId(), now);
        return job != null && job.state() == JobState.PROCESSING && job.token() == lease.fencingToken() ? job : null;
    }
}
