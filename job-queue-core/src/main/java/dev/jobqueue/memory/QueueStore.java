package dev.jobqueue.memory;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    /** The last small result kept; see {@link #storedResult}. Volatile: other threads share its contents. */
    private volatile byte[] lastSmallResult = EMPTY;

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

    /** Takes a replaced (cancelled or expired) record out of the indexes and counts. Caller holds its monitor. */
    private void retire(JobRecord r) {
        if (!r.gone) {
            r.gone = true;
            expiries.noteStale(1);
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
            purgeExpired(now);
            promoteDue(now);
            List<ClaimedJob> claimed = take(workerId, max, lease, now);
            if (!claimed.isEmpty() || closed.getAsBoolean()) {
                return claimed;
            }
            long remaining = waitUntil - System.nanoTime();
            if (remaining <= 0) {
                return claimed;
            }
            long nextDue = due.earliest();
            if (nextDue != Millis.NONE) {
                // Due time by the storage clock, bounded by maxWait in real time.
                remaining = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(Math.max(1, nextDue - now)));
            }
            ready.awaitWork(remaining, wakeVersion);
        }
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
        // One block of tokens for the batch: each is still greater than every earlier claim's.
        long token = fencingTokens.getAndAdd(size);
        ClaimedJob[] claimed = new ClaimedJob[size];
        int taken = 0;
        long createdMillis = Millis.NONE;
        Instant created = null;
        for (JobRecord r : candidates) {
            token++;
            int attempt;
            byte[] payload;
            synchronized (r) {
                if (r.state != JobState.QUEUED) {
                    continue; // cancelled after it left the heap
                }
                attempt = ++r.attempts;
                r.fencingToken = token;
                r.workerId = workerId;
                r.deadline = deadline;
                // Counted and indexed before the monitor is let go, so that whoever sees the job
                // PROCESSING also sees it in counts() and list(PROCESSING).
                move(r, JobState.PROCESSING);
                leases.add(deadline, r);
                payload = r.payload;
            }
            if (r.createdAt != createdMillis) {
                createdMillis = r.createdAt;
                created = Millis.toInstant(createdMillis);
            }
            claimed[taken++] = new ClaimedJob(r.id, copy(payload), attempt, r.maxAttempts, created, token,
                    deadlineInstant);
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
            makeTerminal(r, terminal, Millis.plus(now, ttl != null ? ttl : r.resultTtl));
            notice = notifier.any() ? r.snapshot() : null;
        }
        notifier.fire(notice);
        return TransitionOutcome.APPLIED;
    }

    TransitionOutcome retry(LeaseRef ref, Duration backoff, JobError lastError) {
        JobRecord r = jobs.get(ref.jobId());
        if (r == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        long now = clock.millis();
        long runAt = Millis.plus(now, backoff);
        boolean wake;
        synchronized (r) {
            if (!holdsLease(r, ref)) {
                return TransitionOutcome.LEASE_LOST;
            }
            endLease(r);
            r.error = lastError;
            r.deadline = runAt;
            move(r, JobState.FAILING);
            long earliest = due.earliest();
            due.add(runAt, r);
            wake = earliest == Millis.NONE || runAt < earliest;
        }
        if (wake) {
            ready.wakeAll();
        }
        return TransitionOutcome.APPLIED;
    }

    /** {@code unstarted}: the handler never ran, so the attempt the claim counted is taken back. */
    TransitionOutcome release(LeaseRef ref, boolean unstarted) {
        JobRecord r = jobs.get(ref.jobId());
        if (r == null) {
            return TransitionOutcome.LEASE_LOST;
        }
        synchronized (r) {
            if (!holdsLease(r, ref)) {
                return TransitionOutcome.LEASE_LOST;
            }
            endLease(r);
            if (unstarted) {
                r.attempts--;
            }
            move(r, JobState.QUEUED);
            ready.push(r); // under the monitor, so whoever sees it QUEUED also finds it in list(QUEUED)
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
    }

    /**
     * Caller holds the record's monitor and has taken it out of its previous index. Counted and
     * indexed under that monitor, so whoever sees the new state also sees it in counts() and list().
     */
    private void makeTerminal(JobRecord r, JobState terminal, long expiresAt) {
        r.payload = null; // never claimed again: the record is kept for its result and dedup only
        r.deadline = expiresAt;
        move(r, terminal);
        expiries.add(expiresAt, r);
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
                if (stalls > r.maxStalls) {
                    r.error = new JobError(JobError.STALLED_TYPE,
                            "lease expired " + stalls + " times (maxStalls " + r.maxStalls + ")",
                            null, null, r.attempts, Millis.toInstant(now));
                    makeTerminal(r, JobState.FAILED, Millis.plus(now, r.resultTtl));
                    if (notifier.any()) {
                        notices.add(r.snapshot());
                    }
                } else {
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
        JobRecord r = jobs.get(jobId);
        if (r == null) {
            return CancelResult.NOT_FOUND;
        }
        long now = clock.millis();
        JobSnapshot notice;
        synchronized (r) {
            if (r.expiredAt(now)) {
                return CancelResult.NOT_FOUND;
            }
            switch (r.state) {
                case PROCESSING:
                    return CancelResult.PROCESSING;
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
            makeTerminal(r, JobState.CANCELLED, Millis.plus(now, r.resultTtl));
            notice = notifier.any() ? r.snapshot() : null;
        }
        notifier.fire(notice);
        return CancelResult.CANCELLED;
    }

    Optional<JobSnapshot> status(String jobId) {
        JobRecord r = jobs.get(jobId);
        if (r == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        synchronized (r) {
            return r.expiredAt(now) ? Optional.empty() : Optional.of(r.snapshot());
        }
    }

    TtlUpdateResult updateResultTtl(String jobId, Duration ttl) {
        JobRecord r = jobs.get(jobId);
        if (r == null) {
            return TtlUpdateResult.NOT_FOUND;
        }
        long now = clock.millis();
        synchronized (r) {
            if (r.expiredAt(now)) {
                return TtlUpdateResult.NOT_FOUND;
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
        }
        return TtlUpdateResult.UPDATED;
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
