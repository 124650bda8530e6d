package dev.jobqueue.contract;

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
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage that forwards to a real one and can be told to fail: a "dead" process (every call
 * throws), lock renewals that answer false or throw, failing scans, claims, completions, snoozes,
 * cancels, flow-control calls and schedule operations, a lost schedule race ({@link #advanceAnswer}).
 * Counts the calls reapers and schedulers make.
 * Closing it does not close the delegate (several wrappers may share one storage).
 */
public class FaultInjectingStorage implements Storage {
    private final Storage delegate;
    /** Every call throws: the process owning this view is cut off (as if dead). */
    public volatile boolean dead;
    /** When set, renewLock answers this instead of asking the storage. */
    public volatile Boolean renewAnswer;
    /** When set, renewLock throws it. */
    public volatile RuntimeException renewFailure;
    /** When set, renewLock waits for this gate to open (a renewal that hangs). */
    public volatile CountDownLatch renewGate;
    /** When set, acquireLock answers this instead of asking the storage. */
    public volatile Boolean acquireAnswer;
    /** When set, requeueExpired throws it. */
    public volatile RuntimeException scanFailure;
    /** When set, claim throws it. */
    public volatile RuntimeException claimFailure;
    /** When set, completeAll waits for this gate to open (a slow storage write). */
    public volatile CountDownLatch completeGate;
    /** When set, completeAll throws it (the completions are not stored). */
    public volatile RuntimeException completeFailure;
    /** The size of every completeAll call, in call order. */
    public final List<Integer> completeBatches = new CopyOnWriteArrayList<>();
    /** Terminal notifications are lost (as across a dropped pub/sub connection). */
    public volatile boolean dropNotifications;
    private final List<TerminalListener> subscribers = new CopyOnWriteArrayList<>();
    /**
     * Calls of {@code requeueExpired}, the reaper's scans.
     */
    public final AtomicInteger scans = new AtomicInteger();
    /**
     * Calls of {@code renewLock}.
     */
    public final AtomicInteger renewals = new AtomicInteger();
    /**
     * Calls of {@code acquireLock}.
     */
    public final AtomicInteger acquireAttempts = new AtomicInteger();
    /**
     * Calls of {@code claim}.
     */
    public final AtomicInteger claims = new AtomicInteger();
    /**
     * Calls of {@code enqueueBatch}.
     */
    public final AtomicInteger batchEnqueues = new AtomicInteger();
    /**
     * Calls of {@code subscribe}.
     */
    public final AtomicInteger subscribeCalls = new AtomicInteger();
    /** When set, snooze throws it (the snooze is not stored). */
    public volatile RuntimeException snoozeFailure;
    /** When set, cancel throws it (nothing is cancelled). */
    public volatile RuntimeException cancelFailure;
    /** When set, setLimits, limits and throttle throw it. */
    public volatile RuntimeException flowControlFailure;
    /** When set, every schedule operation (upsert, remove, list, due, advance) throws it. */
    public volatile RuntimeException scheduleFailure;
    /**
     * When set, advanceSchedule answers this without asking the storage ({@code false}: another
     * process advanced the schedule first).
     */
    public volatile Boolean advanceAnswer;
    /**
     * Calls of {@code snooze}.
     */
    public final AtomicInteger snoozes = new AtomicInteger();
    /**
     * Calls of {@code throttle}.
     */
    public final AtomicInteger throttles = new AtomicInteger();
    /**
     * Calls of {@code dueSchedules}, the schedulers' scans.
     */
    public final AtomicInteger dueScans = new AtomicInteger();
    /**
     * Calls of {@code advanceSchedule}.
     */
    public final AtomicInteger advances = new AtomicInteger();

    /**
     * A wrapper that injects no fault until told to.
     *
     * @param delegate the real storage calls are forwarded to; not closed by {@link #close()}
     */
    public FaultInjectingStorage(Storage delegate) {
        this.delegate = delegate;
    }

    private void alive() {
        if (dead) {
            throw new IllegalStateException("injected: storage unreachable");
        }
    }

    @Override
    public EnqueueOutcome enqueue(String queue, NewJob job) {
        alive();
        return delegate.enqueue(queue, job);
    }

    @Override
    public List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs) {
        alive();
        batchEnqueues.incrementAndGet();
        return delegate.enqueueBatch(queue, jobs);
    }

    @Override
    public List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException {
        alive();
        claims.incrementAndGet();
        RuntimeException f = claimFailure;
        if (f != null) {
            throw f;
        }
        return delegate.claim(queue, workerId, max, lease, maxWait);
    }

    @Override
    public List<String> extend(String queue, List<LeaseRef> leases, Duration lease) {
        alive();
        return delegate.extend(queue, leases, lease);
    }

    @Override
    public TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl) {
        alive();
        return delegate.complete(queue, lease, result, resultTtl);
    }

    @Override
    public List<TransitionOutcome> completeAll(String queue, List<Completion> completions) {
        alive();
        CountDownLatch gate = completeGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the injected complete gate", e);
            }
        }
        RuntimeException f = completeFailure;
        if (f != null) {
            throw f;
        }
        completeBatches.add(completions.size());
        return delegate.completeAll(queue, completions);
    }

    @Override
    public TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl) {
        alive();
        return delegate.fail(queue, lease, error, resultTtl);
    }

    @Override
    public TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError) {
        alive();
        return delegate.retry(queue, lease, backoff, lastError);
    }

    @Override
    public TransitionOutcome release(String queue, LeaseRef lease) {
        alive();
        return delegate.release(queue, lease);
    }

    @Override
    public TransitionOutcome unclaim(String queue, LeaseRef lease) {
        alive();
        return delegate.unclaim(queue, lease);
    }

    @Override
    public TransitionOutcome snooze(String queue, LeaseRef lease, Duration delay) {
        alive();
        snoozes.incrementAndGet();
        RuntimeException f = snoozeFailure;
        if (f != null) {
            throw f;
        }
        return delegate.snooze(queue, lease, delay);
    }

    @Override
    public List<StalledJob> requeueExpired(String queue, int limit) {
        alive();
        scans.incrementAndGet();
        RuntimeException f = scanFailure;
        if (f != null) {
            throw f;
        }
        return delegate.requeueExpired(queue, limit);
    }

    @Override
    public CancelResult cancel(String queue, String jobId) {
        alive();
        RuntimeException f = cancelFailure;
        if (f != null) {
            throw f;
        }
        return delegate.cancel(queue, jobId);
    }

    @Override
    public Optional<JobSnapshot> status(String queue, String jobId) {
        alive();
        return delegate.status(queue, jobId);
    }

    @Override
    public TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl) {
        alive();
        return delegate.updateResultTtl(queue, jobId, ttl);
    }

    @Override
    public Map<JobState, Long> counts(String queue) {
        alive();
        return delegate.counts(queue);
    }

    @Override
    public List<String> list(String queue, JobState state, int limit) {
        alive();
        return delegate.list(queue, state, limit);
    }

    @Override
    public SnapshotPage listJobs(String queue, JobState state, ListOrder order, String cursor, int limit) {
        alive();
        return delegate.listJobs(queue, state, order, cursor, limit);
    }

    @Override
    public RetryResult retryJob(String queue, String jobId) {
        alive();
        return delegate.retryJob(queue, jobId);
    }

    @Override
    public int retryAll(String queue, JobState state, int limit) {
        alive();
        return delegate.retryAll(queue, state, limit);
    }

    @Override
    public DeleteResult deleteJob(String queue, String jobId) {
        alive();
        return delegate.deleteJob(queue, jobId);
    }

    @Override
    public int purge(String queue, JobState state, int limit) {
        alive();
        return delegate.purge(queue, state, limit);
    }

    @Override
    public PromoteResult promote(String queue, String jobId) {
        alive();
        return delegate.promote(queue, jobId);
    }

    @Override
    public boolean setPaused(String queue, boolean paused) {
        alive();
        return delegate.setPaused(queue, paused);
    }

    @Override
    public boolean isPaused(String queue) {
        alive();
        return delegate.isPaused(queue);
    }

    @Override
    public void setLimits(String queue, QueueLimits limits) {
        flowControl();
        delegate.setLimits(queue, limits);
    }

    @Override
    public QueueLimits limits(String queue) {
        flowControl();
        return delegate.limits(queue);
    }

    @Override
    public Instant throttle(String queue, Duration duration) {
        throttles.incrementAndGet();
        flowControl();
        return delegate.throttle(queue, duration);
    }

    private void flowControl() {
        alive();
        RuntimeException f = flowControlFailure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public ScheduleRecord upsertSchedule(String queue, String scheduleId, byte[] definition, Instant nextFireAt) {
        schedules();
        return delegate.upsertSchedule(queue, scheduleId, definition, nextFireAt);
    }

    @Override
    public boolean removeSchedule(String queue, String scheduleId) {
        schedules();
        return delegate.removeSchedule(queue, scheduleId);
    }

    @Override
    public List<ScheduleRecord> listSchedules(String queue) {
        schedules();
        return delegate.listSchedules(queue);
    }

    @Override
    public List<ScheduleRecord> dueSchedules(String queue, int limit) {
        dueScans.incrementAndGet();
        schedules();
        return delegate.dueSchedules(queue, limit);
    }

    @Override
    public boolean advanceSchedule(String queue, String scheduleId, long expectedVersion, Instant nextFireAt) {
        advances.incrementAndGet();
        schedules();
        Boolean answer = advanceAnswer;
        return answer != null ? answer : delegate.advanceSchedule(queue, scheduleId, expectedVersion, nextFireAt);
    }

    private void schedules() {
        alive();
        RuntimeException f = scheduleFailure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public List<String> queueNames() {
        alive();
        return delegate.queueNames();
    }

    @Override
    public FinishedTotals finishedTotals(String queue) {
        alive();
        return delegate.finishedTotals(queue);
    }

    @Override
    public Subscription subscribe(String queue, TerminalListener listener) {
        alive();
        subscribeCalls.incrementAndGet();
        subscribers.add(listener);
        Subscription real = delegate.subscribe(queue, new TerminalListener() {
            @Override
            public void onTerminal(String jobId, JobSnapshot snapshot) {
                if (!dropNotifications) {
                    listener.onTerminal(jobId, snapshot);
                }
            }

            @Override
            public void onResubscribed() {
                listener.onResubscribed();
            }
        });
        return () -> {
            subscribers.remove(listener);
            real.close();
        };
    }

    /** Tells every subscriber it was re-subscribed, as a storage does after a reconnect. */
    public void announceResubscribe() {
        for (TerminalListener l : subscribers) {
            l.onResubscribed();
        }
    }

    @Override
    public boolean acquireLock(String queue, String lock, String owner, Duration ttl) {
        alive();
        acquireAttempts.incrementAndGet();
        Boolean answer = acquireAnswer;
        return answer != null ? answer : delegate.acquireLock(queue, lock, owner, ttl);
    }

    @Override
    public boolean renewLock(String queue, String lock, String owner, Duration ttl) {
        alive();
        renewals.incrementAndGet();
        CountDownLatch gate = renewGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hanging", e);
            }
        }
        RuntimeException f = renewFailure;
        if (f != null) {
            throw f;
        }
        Boolean answer = renewAnswer;
        return answer != null ? answer : delegate.renewLock(queue, lock, owner, ttl);
    }

    @Override
    public boolean releaseLock(String queue, String lock, String owner) {
        alive();
        return delegate.releaseLock(queue, lock, owner);
    }

    @Override
    public void close() {
        // the delegate belongs to the test
    }
}
