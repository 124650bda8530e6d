package dev.jobqueue.memory;

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
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The jobs of one named queue and every transition on them.
 *
 * <p>Concurrency: the job map is a striped {@link JobTable}; each transition runs under the monitor of
 * the one record it changes; the ready heap and each time index are guarded by their own short
 * lock (enqueueBatch and a claim of many take the ready heap's once per batch). Lock order is map
 * stripe, then record, then the ready heap's or an index's lock, and no thread calls into the job
 * map while holding a record's monitor. Listeners run after the transition, outside every lock.
 */
final class QueueStore {
    private static final byte[] EMPTY = new byte[0];
    private static final int SHARED_RESULT_MAX_BYTES = 64;

    private final String name;
    private final Clock clock;
    private final JobTable jobs = new JobTable();
    private final ReadyQueue ready = new ReadyQueue();
    /** DELAYED and FAILING jobs by due time. */
    private final TimeIndex due = new TimeIndex(JobState.DELAYED, JobState.FAILING);
    /** PROCESSING jobs by lease deadline. */
    private final TimeIndex leases = new TimeIndex(JobState.PROCESSING);
    /** Terminal jobs by expiry. */
    private final TimeIndex expiries = new TimeIndex(JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED);
    private final AtomicLong sequences = new AtomicLong();
    private final AtomicLong fencingTokens = new AtomicLong();
    private final LongAdder[] counts = new LongAdder[JobState.values().length];
    private final TerminalNotifier notifier;
    private final LeaderLocks locks = new LeaderLocks();
    /** Set by {@link #setPaused}: claims take and promote nothing while it is. */
    private volatile boolean paused;
    private final LongAdder completedTotal = new LongAdder();
    private final LongAdder failedTotal = new LongAdder();
    /** The last small result kept; see {@link #storedResult}. Volatile: other threads share its contents. */
    private volatile byte[] lastSmallResult = EMPTY;
    /** Set by {@link #setLimits}; read without a lock by every claim to choose its path. */
    private volatile QueueLimits limits = QueueLimits.NONE;
    /**
     * Serializes the claims of a queue with limits: the running count and the rate window are read
     * and updated in the same critical section as the take. Claims of a queue without limits never
     * take it.
     */
    private final Object limitLock = new Object();
    /** When the jobs of the rate window were claimed (storage clock), oldest first. Guarded by {@link #limitLock}. */
    private final ArrayDeque<Long> rateWindow = new ArrayDeque<>();
    /** Claims take nothing before this time (storage clock, epoch ms); see {@link #throttle}. */
    private final AtomicLong throttledUntil = new AtomicLong(Long.MIN_VALUE);
    private final ScheduleTable schedules = new ScheduleTable();

    QueueStore(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.notifier = new TerminalNotifier(name);
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    // ---------------------------------------------------------------- enqueue

    EnqueueOutcome enqueue(NewJob job) {
        long now = clock.millis();
        purgeExpired(now);
        List<JobRecord> newlyReady = new ArrayList<>(1);
        EnqueueOutcome outcome = enqueueOne(job, now, sequences.incrementAndGet(), newlyReady);
        ready.pushAll(newlyReady);
        return outcome;
    }

    List<EnqueueOutcome> enqueueBatch(List<NewJob> batch) {
        long now = clock.millis();
        purgeExpired(now);
        int size = batch.size();
        List<JobRecord> newlyReady = new ArrayList<>(size);
        EnqueueOutcome[] outcomes = new EnqueueOutcome[size];
        // One sequence block for the batch: FIFO order is the batch order.
        long sequence = sequences.getAndAdd(size);
        for (int i = 0; i < size; i++) {
            outcomes[i] = enqueueOne(batch.get(i), now, ++sequence, newlyReady);
        }
        ready.pushAll(newlyReady);
        return Arrays.asList(outcomes);
    }

    /**
     * Adds {@code job}; a new QUEUED record goes to {@code newlyReady}, which the caller pushes to
     * the ready queue. So for an instant a brand-new job is seen by status() but not yet by
     * counts() or list(QUEUED) (every later transition counts and indexes under the record's
     * monitor): it cannot join the ready queue before the table, or a claim could lease a job
     * that complete() then cannot find.
     */
    private EnqueueOutcome enqueueOne(NewJob job, long now, long sequence, List<JobRecord> newlyReady) {
        long runAt = job.runAt() != null ? job.runAt().toEpochMilli() : Millis.plus(now, job.delay());
        JobRecord fresh = new JobRecord(job, copy(job.payload()), sequence, now);
        if (runAt <= now && insertIfAbsent(fresh)) {
            newlyReady.add(fresh);
            return EnqueueOutcome.newlyCreated();
        }
        return enqueueOrFindExisting(fresh, runAt, now, newlyReady);
    }

    /**
     * The common case of an enqueue, a ready job whose id is free: one insert, no callback. The
     * record is QUEUED before anyone can see it, and counted an instant after: counting first
     * would count, for that instant, every duplicate enqueue of a finished job as QUEUED.
     */
    private boolean insertIfAbsent(JobRecord fresh) {
        fresh.state = JobState.QUEUED;
        if (jobs.putIfAbsent(fresh)) {
            count(JobState.QUEUED, 1);
            return true;
        }
        return false;
    }

    /** The general enqueue: replaces a cancelled or expired record, reports a live one, delays a job. */
    private EnqueueOutcome enqueueOrFindExisting(JobRecord fresh, long runAt, long now, List<JobRecord> newlyReady) {
        JobSnapshot[] duplicateOf = new JobSnapshot[1];
        boolean[] wakeClaimers = new boolean[1];
        jobs.compute(fresh.id, existing -> {
            if (existing != null) {
                synchronized (existing) {
                    if (!existing.expiredAt(now) && existing.state != JobState.CANCELLED) {
                        existing.notifyOnTerminal |= fresh.notifyOnTerminal;
                        duplicateOf[0] = existing.snapshot();
                        return existing;
                    }
                    retire(existing);
                }
            }
            synchronized (fresh) {
                if (runAt <= now) {
                    fresh.state = JobState.QUEUED;
                    count(JobState.QUEUED, 1);
                } else {
                    fresh.state = JobState.DELAYED;
                    fresh.deadline = runAt;
                    fresh.readyAt = runAt;
                    long earliest = due.earliest();
                    due.add(runAt, fresh);
                    wakeClaimers[0] = earliest == Millis.NONE || runAt < earliest;
                    count(JobState.DELAYED, 1);
                }
            }
            return fresh;
        });
        if (duplicateOf[0] != null) {
            return EnqueueOutcome.duplicate(duplicateOf[0]);
        }
        if (fresh.state == JobState.QUEUED) {
            newlyReady.add(fresh);
        } else if (wakeClaimers[0]) {
            // Idle claimers sleep until the earliest due time they saw; this one is earlier.
            ready.wakeAll();
        }
        return EnqueueOutcome.newlyCreated();
    }

    /**
     * Takes a replaced, deleted or expired record out of the counts, leaving a stale entry in the
     * index of its state. Caller holds its monitor.
     */
    private void retire(JobRecord r) {
        if (!r.gone) {
            r.gone = true;
            switch (r.state) {
                case QUEUED -> ready.noteStale();
                case DELAYED, FAILING -> due.noteStale(1);
                case PROCESSING -> leases.noteStale(1);
                default -> expiries.noteStale(1);
            }
            count(r.state, -1);
        }
    }

    // ---------------------------------------------------------------- claim

    List<ClaimedJob> claim(String workerId, int max, Duration lease, Duration maxWait, BooleanSupplier closed)
            throws InterruptedException {
        long waitUntil = System.nanoTime() + saturatedNanos(maxWait);
        while (true) {
            long wakeVersion = ready.wakeVersion();
            long now = clock.millis();
            long throttleEnd = throttledUntil.get();
            if (paused || now < throttleEnd) {
                long remaining = waitUntil - System.nanoTime();
                if (remaining <= 0 || closed.getAsBoolean()) {
                    return Collections.emptyList();
                }
                if (!paused) {
                    // The throttle ends by the storage clock, which may not be the system clock: re-check.
                    remaining = Math.min(remaining, recheckNanos(throttleEnd - now));
                }
                ready.awaitWake(remaining, wakeVersion);
                continue;
            }
            purgeExpired(now);
            promoteDue(now);
            QueueLimits l = limits;
            long heldBackFor = 0;
            List<ClaimedJob> claimed;
            if (l.isUnlimited()) {
                claimed = take(workerId, max, lease, now);
            } else {
                synchronized (limitLock) {
                    // Read again inside the section: claims enter the rate window in time order.
                    now = Math.max(now, clock.millis());
                    long allowedOrWait = allowedByLimits(l, max, now);
                    if (allowedOrWait > 0) {
                        claimed = take(workerId, (int) allowedOrWait, lease, now);
                        if (l.rateLimit() > 0) {
                            for (int i = claimed.size(); i > 0; i--) {
                                rateWindow.addLast(now);
                            }
                        }
                    } else {
                        claimed = Collections.emptyList();
                        heldBackFor = -allowedOrWait;
                    }
                }
            }
            if (!claimed.isEmpty() || closed.getAsBoolean()) {
                return claimed;
            }
            long remaining = waitUntil - System.nanoTime();
            if (remaining <= 0) {
                return claimed;
            }
            if (heldBackFor > 0) {
                // A limit holds the claim back: wait for a slot (a finished job wakes us when
                // maxRunning is set), re-checking at least every 250 ms and when the rate window frees one.
                ready.awaitWake(Math.min(remaining, recheckNanos(heldBackFor)), wakeVersion);
                continue;
            }
            long nextDue = due.earliest();
            if (nextDue != Millis.NONE) {
                // Due time by the storage clock, bounded by maxWait in real time.
                remaining = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(Math.max(1, nextDue - now)));
            }
            ready.awaitWork(remaining, wakeVersion);
        }
    }

    /** The longest a claim held back by a throttle or limit waits before it looks again. */
    private static final long MAX_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** Nanos to wait for {@code millis} of the storage clock, at most {@link #MAX_RECHECK_NANOS}. */
    private static long recheckNanos(long millis) {
        return Math.min(MAX_RECHECK_NANOS, TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis)));
    }

    /**
     * How many jobs the limits let this claim take (&gt; 0), or, when none, minus the storage-clock
     * millis until the rate window frees a slot (or 250 ms when waiting for a running job to
     * finish). Drops the window's claims older than the rate period. Caller holds {@link #limitLock}.
     */
    private long allowedByLimits(QueueLimits l, int max, long now) {
        long allowed = max;
        long waitMillis = Long.MAX_VALUE;
        if (l.maxRunning() > 0) {
            long running = counts[JobState.PROCESSING.ordinal()].sum();
            allowed = Math.min(allowed, l.maxRunning() - running);
            if (allowed <= 0) {
                waitMillis = TimeUnit.NANOSECONDS.toMillis(MAX_RECHECK_NANOS);
            }
        }
        if (l.rateLimit() > 0) {
            long period = l.ratePeriod().toMillis();
            // A claim counts in (now - period, now]: one made exactly a period ago has left the window.
            while (!rateWindow.isEmpty() && rateWindow.peekFirst() <= now - period) {
                rateWindow.pollFirst();
            }
            long inWindow = rateWindow.size();
            allowed = Math.min(allowed, l.rateLimit() - inWindow);
            if (inWindow >= l.rateLimit()) {
                // The slot of the (size - rateLimit)-th oldest claim frees first.
                long freesAt = rateWindow.stream().skip(inWindow - l.rateLimit()).findFirst().orElse(now) + period;
                waitMillis = Math.min(waitMillis, Math.max(1, freesAt - now));
            }
        }
        return allowed > 0 ? allowed : -Math.max(1, Math.min(waitMillis, TimeUnit.NANOSECONDS.toMillis(MAX_RECHECK_NANOS)));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    private List<ClaimedJob> take(String workerId, int max, Duration lease, long now) {
        List<JobRecord> candidates = ready.poll(max);
        if (candidates.isEmpty()) {
            return Collections.emptyList();
        }
        int size = candidates.size();
        long deadline = Millis.plus(now, lease);
        Instant deadlineInstant = Millis.toInstant(deadline);
        Instant claimedAt = Millis.toInstant(now);
        // One block of tokens for the batch: each is still greater than every earlier claim's.
        long token = fencingTokens.getAndAdd(size);
        ClaimedJob[] claimed = new ClaimedJob[size];
        int taken = 0;
        long createdMillis = Millis.NONE;
        Instant created = null;
        for (JobRecord r : candidates) {
            token++;
            int attempt;
            long readyAt;
            synchronized (r) {
                if (!r.isReady()) {
                    continue; // cancelled or deleted after it left the heap
                }
                attempt = ++r.attempts;
                r.fencingToken = token;
                r.workerId = workerId;
                r.deadline = deadline;
                r.startedAt = now;
                readyAt = r.readyAt;
                // Counted and indexed before the monitor is let go, so that whoever sees the job
                // PROCESSING also sees it in counts() and list(PROCESSING).
                move(r, JobState.PROCESSING);
                leases.add(deadline, r);
            }
            if (r.createdAt != createdMillis) {
                createdMillis = r.createdAt;
                created = Millis.toInstant(createdMillis);
            }
            claimed[taken++] = new ClaimedJob(r.id, copy(r.payload), attempt, r.maxAttempts, created, token,
                    deadlineInstant, r.metadata, readyAt == now ? claimedAt : Millis.toInstant(readyAt), claimedAt);
        }
        List<ClaimedJob> out = Arrays.asList(claimed);
        return taken == size ? out : out.subList(0, taken);
    }

    /** Moves due DELAYED and FAILING jobs to the ready queue. */
    private void promoteDue(long now) {
        if (!due.hasDue(now)) {
            return;
        }
        JobRecord r;
        while ((r = due.pollDue(now)) != null) {
            synchronized (r) {
                if (!due.isDue(r, now)) {
                    continue; // cancelled meanwhile
                }
                r.readyAt = r.deadline; // ready since it was due, not since this claim noticed
                r.deadline = Millis.NONE;
                r.error = null;
                move(r, JobState.QUEUED);
                ready.push(r);
            }
        }
    }

    // ---------------------------------------------------------------- lease holders

    List<String> extend(List<LeaseRef> refs, Duration lease) {
        long now = clock.millis();
        long deadline = Millis.plus(now, lease);
        List<String> lost = new ArrayList<>();
        for (LeaseRef ref : refs) {
            JobRecord r = jobs.get(ref.jobId());
            boolean held = false;
            if (r != null) {
                synchronized (r) {
                    if (holdsLease(r, ref)) {
                        held = true;
                        if (r.deadline != deadline) {
                            // The old entry goes stale; the new one joins under the monitor, so
                            // list(PROCESSING) never misses the job in between.
                            r.deadline = deadline;
                            leases.noteStale(1);
                            leases.add(deadline, r);
                        }
                    }
                }
            }
            if (!held) {
                lost.add(ref.jobId());
            }
        }
        return lost;
    }

    TransitionOutcome complete(LeaseRef ref, byte[] result, Duration resultTtl) {
        return finish(ref, JobState.COMPLETED, storedResult(result), null, resultTtl, clock.millis());
    }

    /** {@link #complete} of each, in order, at one instant (each job under its own monitor, as alone). */
    List<TransitionOutcome> completeAll(List<Completion> completions) {
        long now = clock.millis();
        List<TransitionOutcome> outcomes = new ArrayList<>(completions.size());
        for (Completion c : completions) {
            outcomes.add(finish(c.lease(), JobState.COMPLETED, storedResult(c.result()), null, c.resultTtl(), now));
        }
        return outcomes;
    }

    TransitionOutcome fail(LeaseRef ref, JobError error, Duration resultTtl) {
        return finish(ref, JobState.FAILED, null, error, resultTtl, clock.millis());
    }

    private TransitionOutcome finish(LeaseRef ref, JobState terminal, byte[] result, JobError error, Duration ttl,
                                     long now) {
        JobRecord r = jobs.get(ref.jobId());
        if (r == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        JobSnapshot notice;
        synchronized (r) {
            if (!holdsLease(r, ref)) {
                return TransitionOutcome.LEASE_LOST;
            }
            endLease(r);
            r.result = result;
            r.error = error;
            makeTerminal(r, terminal, Millis.plus(now, ttl != null ? ttl : r.resultTtl), now);
            notice = notifier.any() ? r.snapshot() : null;
        }
        notifier.fire(notice);
        return TransitionOutcome.APPLIED;
    }

    TransitionOutcome retry(LeaseRef ref, Duration backoff, JobError lastError) {
        return deferLeased(ref, backoff, JobState.FAILING, lastError, false);
    }

    /** {@code unstarted}: the handler never ran, so the attempt the claim counted is taken back. */
    TransitionOutcome release(LeaseRef ref, boolean unstarted) {
        JobRecord r = jobs.get(ref.jobId());
        if (r == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        long now = clock.millis();
        synchronized (r) {
            if (!holdsLease(r, ref)) {
                return TransitionOutcome.LEASE_LOST;
            }
            endLease(r);
            r.readyAt = now;
            if (unstarted) {
                r.attempts--;
            }
            move(r, JobState.QUEUED);
            ready.push(r); // under the monitor, so whoever sees it QUEUED also finds it in list(QUEUED)
        }
        return TransitionOutcome.APPLIED;
    }

    /** PROCESSING → DELAYED, due {@code delay} from now, with the claim's attempt taken back; error and stalls stay. */
    TransitionOutcome snooze(LeaseRef ref, Duration delay) {
        return deferLeased(ref, delay, JobState.DELAYED, null, true);
    }

    /**
     * PROCESSING → {@code to}, due {@code delay} from now: FAILING after a failed attempt (with
     * {@code error}), DELAYED for a snooze ({@code error} null: the last one stays; the claim's
     * attempt given back). Claimers are woken when the job becomes the earliest due one.
     */
    private TransitionOutcome deferLeased(LeaseRef ref, Duration delay, JobState to, JobError error,
                                          boolean giveBackAttempt) {
        JobRecord r = jobs.get(ref.jobId());
        if (r == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        long runAt = Millis.plus(clock.millis(), delay);
        boolean wake;
        synchronized (r) {
            if (!holdsLease(r, ref)) {
                return TransitionOutcome.LEASE_LOST;
            }
            endLease(r);
            if (error != null) {
                r.error = error;
            }
            if (giveBackAttempt) {
                r.attempts--;
            }
            r.deadline = runAt;
            move(r, to);
            long earliest = due.earliest();
            due.add(runAt, r);
            wake = earliest == Millis.NONE || runAt < earliest;
        }
        if (wake) {
            ready.wakeAll();
        }
        return TransitionOutcome.APPLIED;
    }

    private static boolean holdsLease(JobRecord r, LeaseRef ref) {
        return r.state == JobState.PROCESSING && r.fencingToken == ref.fencingToken() && !r.gone;
    }

    /** Caller holds the record's monitor. */
    private void endLease(JobRecord r) {
        leases.noteStale(1);
        r.workerId = null;
        r.deadline = Millis.NONE;
        slotFreed();
    }

    /**
     * A PROCESSING job stopped running: claims held back by maxRunning look again. Only queues
     * with that limit pay for the wake-up. May be called holding a record's monitor (the ready
     * queue's lock comes after it).
     */
    private void slotFreed() {
        if (limits.maxRunning() > 0) {
            ready.wakeAll();
        }
    }

    /**
     * Caller holds the record's monitor and has taken it out of its previous index. Counted and
     * indexed under that monitor, so whoever sees the new state also sees it in counts() and list().
     */
    private void makeTerminal(JobRecord r, JobState terminal, long expiresAt, long now) {
        r.deadline = expiresAt;
        r.finishedAt = now;
        move(r, terminal);
        expiries.add(expiresAt, r);
        if (terminal == JobState.COMPLETED) {
            completedTotal.increment();
        } else if (terminal == JobState.FAILED) {
            failedTotal.increment();
        }
    }

    // ---------------------------------------------------------------- reaper

    List<StalledJob> requeueExpired(int limit) {
        long now = clock.millis();
        List<StalledJob> stalled = new ArrayList<>();
        List<JobSnapshot> notices = new ArrayList<>();
        while (stalled.size() < limit) {
            JobRecord r = leases.pollDue(now);
            if (r == null) {
                break;
            }
            synchronized (r) {
                if (!leases.isDue(r, now)) {
                    continue; // completed or extended meanwhile
                }
                String workerId = r.workerId;
                int stalls = ++r.stalls;
                r.workerId = null;
                r.deadline = Millis.NONE;
                slotFreed();
                if (stalls > r.maxStalls) {
                    r.error = new JobError(JobError.STALLED_TYPE,
                            "lease expired " + stalls + " times (maxStalls " + r.maxStalls + ")",
                            null, null, r.attempts, Millis.toInstant(now));
                    makeTerminal(r, JobState.FAILED, Millis.plus(now, r.resultTtl), now);
                    if (notifier.any()) {
                        notices.add(r.snapshot());
                    }
                } else {
                    r.readyAt = now;
                    move(r, JobState.QUEUED);
                    ready.push(r);
                }
                stalled.add(new StalledJob(r.id, workerId, stalls, r.state));
            }
        }
        notices.forEach(notifier::fire);
        return stalled;
    }

    // ---------------------------------------------------------------- inspection and admin

    CancelResult cancel(String jobId) {
        long now = clock.millis();
        for (JobRecord r = jobs.get(jobId); r != null; r = replacementOf(r)) {
            JobSnapshot notice;
            synchronized (r) {
                if (r.expiredAt(now)) {
                    continue;
                }
                switch (r.state) {
                    case PROCESSING:
                        // Ends the lease in the same step: the old token is fenced, the reaper skips it.
                        endLease(r);
                        break;
                    case COMPLETED:
                        return CancelResult.COMPLETED;
                    case FAILED:
                        return CancelResult.FAILED;
                    case CANCELLED:
                        return CancelResult.CANCELLED;
                    case QUEUED:
                        ready.noteStale();
                        break;
                    default: // DELAYED, FAILING
                        due.noteStale(1);
                        break;
                }
                r.error = null;
                makeTerminal(r, JobState.CANCELLED, Millis.plus(now, r.resultTtl), now);
                notice = notifier.any() ? r.snapshot() : null;
            }
            notifier.fire(notice);
            return CancelResult.CANCELLED;
        }
        return CancelResult.NOT_FOUND;
    }

    Optional<JobSnapshot> status(String jobId) {
        long now = clock.millis();
        for (JobRecord r = jobs.get(jobId); r != null; r = replacementOf(r)) {
            synchronized (r) {
                if (!r.expiredAt(now)) {
                    return Optional.of(r.fullSnapshot());
                }
            }
        }
        return Optional.empty();
    }

    TtlUpdateResult updateResultTtl(String jobId, Duration ttl) {
        long now = clock.millis();
        for (JobRecord r = jobs.get(jobId); r != null; r = replacementOf(r)) {
            synchronized (r) {
                if (r.expiredAt(now)) {
                    continue;
                }
                if (r.state != JobState.COMPLETED && r.state != JobState.FAILED) {
                    return TtlUpdateResult.NOT_TERMINAL;
                }
                long expiresAt = Millis.plus(now, ttl);
                if (expiresAt != r.deadline) {
                    expiries.noteStale(1);
                    r.deadline = expiresAt;
                    expiries.add(expiresAt, r);
                }
                return TtlUpdateResult.UPDATED;
            }
        }
        return TtlUpdateResult.NOT_FOUND;
    }

    /**
     * The record now stored for {@code r}'s id when {@code r} was replaced (operator retry or
     * promote, or a new job after a delete) while the caller waited for its monitor; null when
     * {@code r} is still the stored one or none is stored, so the caller answers "not found".
     */
    private JobRecord replacementOf(JobRecord r) {
        JobRecord now = jobs.get(r.id);
        return now == r ? null : now;
    }

    Map<JobState, Long> counts() {
        purgeExpired(clock.millis());
        Map<JobState, Long> out = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            out.put(s, Math.max(0, counts[s.ordinal()].sum()));
        }
        return out;
    }

    List<String> list(JobState state, int limit) {
        long now = clock.millis();
        purgeExpired(now);
        List<JobRecord> candidates = switch (state) {
            case QUEUED -> ready.snapshot(limit);
            case DELAYED, FAILING -> due.records();
            case PROCESSING -> leases.records();
            case COMPLETED, FAILED, CANCELLED -> expiries.records();
        };
        List<String> ids = new ArrayList<>(Math.min(limit, candidates.size()));
        for (JobRecord r : candidates) {
            if (ids.size() >= limit) {
                break;
            }
            synchronized (r) {
                if (r.state == state && !r.expiredAt(now)) {
                    ids.add(r.id);
                }
            }
        }
        return ids;
    }

    // ---------------------------------------------------------------- operations

    /**
     * One page along the index of {@code state}: the position is found in the index (binary
     * search of its sorted run, search of the ready queue's tree) and the page read from there, so
     * the work grows with the page, not with the state's size. Two things add to it: the time
     * indexes keep jobs of one millisecond in arrival order, so the jobs sharing the page
     * boundary's millisecond are all read and sorted by sequence; and their few late entries
     * (beyond the reorder window) are all looked at.
     */
    SnapshotPage listJobs(JobState state, ListOrder order, String cursor, int limit) {
        ListCursor from = cursor == null ? null : ListCursor.parse(cursor, state, order);
        long now = clock.millis();
        purgeExpired(now);
        List<ListCursor> keys = new ArrayList<>();
        List<JobRecord> candidates = page(state, order, from, limit + 1, keys);
        List<JobSnapshot> jobs = new ArrayList<>(Math.min(limit, candidates.size()));
        int listed = Math.min(limit, candidates.size());
        for (int i = 0; i < listed; i++) {
            JobRecord r = candidates.get(i);
            synchronized (r) {
                // Re-checked under the monitor: the job may have moved since the index was read.
                if (r.state == state && !r.expiredAt(now) && keyOf(r, state, order).equals(keys.get(i))) {
                    jobs.add(r.fullSnapshot());
                }
            }
        }
        String next = candidates.size() > limit ? keys.get(limit - 1).encode() : null;
        return new SnapshotPage(jobs, next);
    }

    /**
     * Up to {@code max} records of {@code state} after {@code from} in {@code order}, as the index
     * has them (not re-checked); their keys go to {@code keys}.
     */
    private List<JobRecord> page(JobState state, ListOrder order, ListCursor from, int max, List<ListCursor> keys) {
        boolean ascending = order == ListOrder.OLDEST_FIRST;
        List<JobRecord> records = new ArrayList<>();
        if (state == JobState.QUEUED) {
            for (JobRecord r : ready.page(from, ascending, max)) {
                records.add(r);
                keys.add(new ListCursor(state, order, ReadyQueue.claimOrderPrimary(r), r.sequence));
            }
            return records;
        }
        TimeIndex index = switch (state) {
            case DELAYED, FAILING -> due;
            case PROCESSING -> leases;
            default -> expiries;
        };
        for (DeadlineQueue.Pair p : index.page(state, from, ascending, max)) {
            records.add(p.record());
            keys.add(new ListCursor(state, order, p.at(), p.record().sequence));
        }
        return records;
    }

    /** {@code r}'s current key in the listing order of {@code state}. Caller holds the monitor. */
    private static ListCursor keyOf(JobRecord r, JobState state, ListOrder order) {
        long primary = state == JobState.QUEUED ? ReadyQueue.claimOrderPrimary(r) : r.deadline;
        return new ListCursor(state, order, primary, r.sequence);
    }

    RetryResult retryJob(String jobId) {
        return switch (requeueAtTheEnd(jobId, JobState.FAILED, JobState.CANCELLED, true)) {
            case REQUEUED -> RetryResult.RETRIED;
            case NOT_FOUND -> RetryResult.NOT_FOUND;
            case IN_ANOTHER_STATE -> RetryResult.NOT_RETRYABLE;
        };
    }

    int retryAll(JobState state, int limit) {
        long now = clock.millis();
        purgeExpired(now);
        List<JobRecord> retried = new ArrayList<>();
        for (JobRecord candidate : expiries.page(state, null, true, limit).stream().map(DeadlineQueue.Pair::record)
                .toList()) {
            jobs.compute(candidate.id, existing -> {
                if (existing != candidate) {
                    return existing;
                }
                synchronized (existing) {
                    if (existing.expiredAt(now) || existing.state != state) {
                        return existing;
                    }
                    JobRecord next = successorAtTheEnd(existing, now, true);
                    retried.add(next);
                    return next;
                }
            });
        }
        ready.pushAll(retried);
        return retried.size();
    }

    PromoteResult promote(String jobId) {
        return switch (requeueAtTheEnd(jobId, JobState.DELAYED, JobState.FAILING, false)) {
            case REQUEUED -> PromoteResult.PROMOTED;
            case NOT_FOUND -> PromoteResult.NOT_FOUND;
            case IN_ANOTHER_STATE -> PromoteResult.NOT_DELAYED;
        };
    }

    /** What an operator's requeue of one job found. */
    private enum Requeue { REQUEUED, NOT_FOUND, IN_ANOTHER_STATE }

    /**
     * Moves the job to the end of its priority's FIFO, QUEUED from now, when it is in {@code from}
     * or {@code orFrom}, in one step on the job table; the successor joins the ready queue once
     * the table holds it, as a new job does.
     */
    private Requeue requeueAtTheEnd(String jobId, JobState from, JobState orFrom, boolean freshBudget) {
        long now = clock.millis();
        Requeue[] result = {Requeue.NOT_FOUND};
        JobRecord[] queued = new JobRecord[1];
        jobs.compute(jobId, existing -> {
            if (existing == null) {
                return null;
            }
            synchronized (existing) {
                if (existing.expiredAt(now)) {
                    return existing;
                }
                if (existing.state != from && existing.state != orFrom) {
                    result[0] = Requeue.IN_ANOTHER_STATE;
                    return existing;
                }
                result[0] = Requeue.REQUEUED;
                queued[0] = successorAtTheEnd(existing, now, freshBudget);
                return queued[0];
            }
        });
        if (queued[0] != null) {
            ready.push(queued[0]); // wakes an idle claimer
        }
        return result[0];
    }

    /**
     * The successor of {@code r}, QUEUED from {@code now} at the end of its priority's FIFO;
     * {@code r} is retired. An operator retry also resets the attempt budget and the timing.
     * Runs inside {@code jobs.compute} for r's id, holding r's monitor; the caller pushes the
     * successor to the ready queue once the table holds it.
     */
    private JobRecord successorAtTheEnd(JobRecord r, long now, boolean freshBudget) {
        JobRecord next = r.successor(sequences.incrementAndGet(), now);
        if (freshBudget) {
            next.attempts = 0;
            next.stalls = 0;
            next.startedAt = Millis.NONE;
        }
        retire(r);
        count(JobState.QUEUED, 1);
        return next;
    }

    DeleteResult deleteJob(String jobId) {
        long now = clock.millis();
        for (JobRecord r = jobs.get(jobId); r != null; r = replacementOf(r)) {
            JobSnapshot notice;
            synchronized (r) {
                if (r.expiredAt(now)) {
                    continue;
                }
                if (r.state == JobState.PROCESSING) {
                    return DeleteResult.PROCESSING;
                }
                notice = deleteLocked(r, now);
            }
            jobs.remove(r);
            notifier.fire(notice);
            return DeleteResult.DELETED;
        }
        return DeleteResult.NOT_FOUND;
    }

    int purge(JobState state, int limit) {
        long now = clock.millis();
        purgeExpired(now);
        List<JobSnapshot> notices = new ArrayList<>();
        int deleted = 0;
        for (JobRecord r : page(state, ListOrder.OLDEST_FIRST, null, limit, new ArrayList<>())) {
            synchronized (r) {
                if (r.expiredAt(now) || r.state != state) {
                    continue;
                }
                JobSnapshot notice = deleteLocked(r, now);
                if (notice != null) {
                    notices.add(notice);
                }
            }
            jobs.remove(r);
            deleted++;
        }
        notices.forEach(notifier::fire);
        return deleted;
    }

    /**
     * Deletes a record that no worker holds: out of the counts, its index entry stale; the
     * caller removes it from the table. Returns the CANCELLED notice for a waiting job whose
     * caller waits, else null. Caller holds the monitor.
     */
    private JobSnapshot deleteLocked(JobRecord r, long now) {
        boolean waiting = !r.state.isTerminal();
        JobSnapshot notice = waiting && r.notifyOnTerminal && notifier.any() ? r.deletedSnapshot(now) : null;
        retire(r);
        return notice;
    }

    /** Pauses or resumes claims on this queue; resuming wakes idle claimers. */
    synchronized boolean setPaused(boolean pause) {
        if (paused == pause) {
            return false;
        }
        paused = pause;
        if (!pause) {
            ready.wakeAll();
        }
        return true;
    }

    boolean isPaused() {
        return paused;
    }

    /**
     * Sets the flow-control limits from the next claim on. Removing the rate limit forgets the
     * window; keeping one (set again, or changed) keeps the claims already in it. Raising or
     * lifting a limit wakes held-back claims.
     */
    void setLimits(QueueLimits next) {
        synchronized (limitLock) {
            limits = next;
            if (next.rateLimit() == 0) {
                rateWindow.clear();
            }
        }
        ready.wakeAll();
    }

    QueueLimits limits() {
        return limits;
    }

    /** Holds back claims until {@code duration} from now, or the later end already set; returns the end. */
    Instant throttle(Duration duration) {
        long end = Millis.plus(clock.millis(), duration);
        return Millis.toInstant(throttledUntil.accumulateAndGet(end, Math::max));
    }

    ScheduleRecord upsertSchedule(String scheduleId, byte[] definition, Instant nextFireAt) {
        return schedules.upsert(scheduleId, definition, nextFireAt);
    }

    boolean removeSchedule(String scheduleId) {
        return schedules.remove(scheduleId);
    }

    List<ScheduleRecord> listSchedules() {
        return schedules.list();
    }

    List<ScheduleRecord> dueSchedules(int limit) {
        return schedules.due(clock.instant(), limit);
    }

    boolean advanceSchedule(String scheduleId, long expectedVersion, Instant nextFireAt) {
        return schedules.advance(scheduleId, expectedVersion, nextFireAt);
    }

    /** Whether any live record is counted, after dropping expired ones (as counts() does). */
    boolean hasLiveRecords() {
        purgeExpired(clock.millis());
        for (LongAdder c : counts) {
            if (c.sum() > 0) {
                return true;
            }
        }
        return false;
    }

    FinishedTotals finishedTotals() {
        return new FinishedTotals(completedTotal.sum(), failedTotal.sum());
    }

    Subscription subscribe(TerminalListener listener) {
        return notifier.add(listener);
    }

    boolean acquireLock(String lock, String owner, Duration ttl) {
        return locks.acquire(lock, owner, ttl, clock.millis());
    }

    boolean renewLock(String lock, String owner, Duration ttl) {
        return locks.renew(lock, owner, ttl, clock.millis());
    }

    boolean releaseLock(String lock, String owner) {
        return locks.release(lock, owner, clock.millis());
    }

    /** Records held, expired-but-not-yet-dropped ones included. */
    int storedRecords() {
        return jobs.size();
    }

    /** Entries held by all indexes, stale ones included. */
    int indexEntries() {
        return ready.entries() + due.entries() + leases.entries() + expiries.entries();
    }

    /** Wakes idle claimers so they notice the storage closed. */
    void wakeClaimers() {
        ready.wakeAll();
    }

    // ---------------------------------------------------------------- housekeeping

    /** Drops terminal records whose TTL ended, so memory stays bounded under steady traffic. */
    private void purgeExpired(long now) {
        JobRecord r;
        while ((r = expiries.pollDue(now)) != null) {
            boolean remove;
            synchronized (r) {
                remove = expiries.isDue(r, now);
                if (remove) {
                    r.gone = true;
                    count(r.state, -1);
                }
            }
            if (remove) {
                jobs.remove(r);
            }
        }
    }

    /** Caller holds the record's monitor. */
    private void move(JobRecord r, JobState to) {
        count(r.state, -1);
        r.state = to;
        count(to, 1);
    }

    private void count(JobState s, int delta) {
        counts[s.ordinal()].add(delta);
    }

    private static byte[] copy(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : bytes.clone();
    }

    /**
     * The array to keep as a job's result: a copy, shared with the previous job's when equal and
     * small. Kept results are never written and always copied on the way out, so sharing is
     * invisible; it spares one array per kept record when handlers return the same small value
     * (null, true, an empty object), which is what most fire-and-forget jobs do.
     */
    private byte[] storedResult(byte[] result) {
        if (result.length > SHARED_RESULT_MAX_BYTES) {
            return result.clone();
        }
        byte[] last = lastSmallResult;
        if (Arrays.equals(last, result)) {
            return last;
        }
        byte[] kept = copy(result);
        lastSmallResult = kept;
        return kept;
    }

    @Override
    public String toString() {
        return "QueueStore[" + name + "]";
    }
}
