package dev.jobqueue.file;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.QueueLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The in-memory index of one queue: every live job by id, plus one ordered set per state so that
 * no operation scans all jobs, nor the jobs of another state (ready by priority then FIFO,
 * DELAYED and FAILING each by due time, leases by deadline, each terminal state by expiry). The
 * sets' orders are the listing orders of {@link ListOrder}, so a listing page, a purge or a
 * retryAll starts with a {@code tailSet} lookup and touches only the jobs it returns. Also
 * holds the queue's leader locks, its pause flag, its flow-control limits with the rate window
 * they count claims in, its throttle and its recurring schedules.
 */
final class QueueIndex {
    /** Higher priority first; compared, never negated, since {@code -Integer.MIN_VALUE} overflows to itself. */
    static final Comparator<JobRecord> READY_ORDER = Comparator
            .comparingInt(JobRecord::priority).reversed().thenComparingLong(JobRecord::seq)
            .thenComparing(JobRecord::id);
    static final Comparator<JobRecord> DUE_ORDER = Comparator
            .comparing(JobRecord::runAt).thenComparingLong(JobRecord::seq).thenComparing(JobRecord::id);
    static final Comparator<JobRecord> LEASE_ORDER = Comparator
            .comparing(JobRecord::leaseDeadline).thenComparingLong(JobRecord::seq).thenComparing(JobRecord::id);
    static final Comparator<JobRecord> EXPIRY_ORDER = Comparator
            .comparing(JobRecord::expiresAt).thenComparingLong(JobRecord::seq).thenComparing(JobRecord::id);

    /** The index of a queue that holds nothing: only read, never changed (see {@link StateIndex#find}). */
    static final QueueIndex EMPTY = new QueueIndex();

    private static final List<JobState> SCHEDULED = List.of(JobState.DELAYED, JobState.FAILING);
    private static final List<JobState> TERMINAL = List.of(JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED);

    private final Map<String, JobRecord> jobs = new HashMap<>();
    private final Map<JobState, NavigableSet<JobRecord>> byState = new EnumMap<>(JobState.class);
    private final Map<String, LockRecord> locks = new HashMap<>();
    private boolean paused;
    private QueueLimits limits = QueueLimits.NONE;
    /** The claims the rate limit counts; null while the queue has no rate limit. */
    private RateWindow rateWindow;
    /** Until when claims are held back; null when not throttled. */
    private Instant throttledUntil;
    private final QueueSchedules schedules = new QueueSchedules();

    QueueIndex() {
        for (JobState s : JobState.values()) {
            byState.put(s, new TreeSet<>(order(s)));
        }
    }

    /** The order jobs of {@code state} are kept (and listed oldest first) in. */
    static Comparator<JobRecord> order(JobState state) {
        return switch (state) {
            case QUEUED -> READY_ORDER;
            case DELAYED, FAILING -> DUE_ORDER;
            case PROCESSING -> LEASE_ORDER;
            case COMPLETED, FAILED, CANCELLED -> EXPIRY_ORDER;
        };
    }

    /** The job, or {@code null} when unknown or (terminal and) expired at {@code now}. */
    JobRecord live(String id, Instant now) {
        JobRecord job = jobs.get(id);
        return job == null || job.isExpiredAt(now) ? null : job;
    }

    /** The stored job regardless of expiry (replay needs the payload of jobs it has not swept yet). */
    JobRecord stored(String id) {
        return jobs.get(id);
    }

    void put(JobRecord job) {
        JobRecord old = jobs.put(job.id(), job);
        if (old != null) {
            byState.get(old.state()).remove(old);
        }
        byState.get(job.state()).add(job);
        if (rateWindow != null && job.state() == JobState.PROCESSING && job.startedAt() != null
                && (old == null || old.state() != JobState.PROCESSING || old.token() != job.token())) {
            rateWindow.record(job.startedAt(), limits.ratePeriod()); // a claim (not a lease extension)
        }
    }

    /** Forgets the job (deleted); returns its record, or {@code null} when it was unknown. */
    JobRecord remove(String id) {
        JobRecord job = jobs.remove(id);
        if (job != null) {
            byState.get(job.state()).remove(job);
        }
        return job;
    }

    /** No job, no lock, not paused, no limits, throttle or schedule: nothing to keep. */
    boolean isEmpty() {
        return jobs.isEmpty() && locks.isEmpty() && !paused && limits.isUnlimited() && throttledUntil == null
                && schedules.isEmpty();
    }

    /** Whether any job record is live at {@code now} (an expired terminal record not swept yet is not). */
    boolean hasLiveJobs(Instant now) {
        for (JobState s : JobState.values()) {
            if (count(s, now) > 0) {
                return true;
            }
        }
        return false;
    }

    boolean isPaused() {
        return paused;
    }

    void setPaused(boolean flag) {
        paused = flag;
    }

    QueueLimits limits() {
        return limits;
    }

    /** Sets the limits; a rate window starts empty when a rate limit is set on a queue that had none. */
    void setLimits(QueueLimits newLimits) {
        limits = newLimits;
        if (newLimits.rateLimit() == 0) {
            rateWindow = null;
        } else if (rateWindow == null) {
            rateWindow = new RateWindow();
        }
    }

    /** The rate window (only while a rate limit is set). */
    RateWindow rateWindow() {
        return rateWindow;
    }

    /** Until when claims are held back, or null. */
    Instant throttledUntil() {
        return throttledUntil;
    }

    void throttleUntil(Instant until) {
        if (throttledUntil == null || until.isAfter(throttledUntil)) {
            throttledUntil = until;
        }
    }

    QueueSchedules schedules() {
        return schedules;
    }

    /** Drops terminal records whose TTL ended; they no longer exist for any operation. */
    void sweepExpired(Instant now) {
        if (throttledUntil != null && !throttledUntil.isAfter(now)) {
            throttledUntil = null;
        }
        for (JobState s : TERMINAL) {
            NavigableSet<JobRecord> set = byState.get(s);
            while (!set.isEmpty() && set.first().isExpiredAt(now)) {
                jobs.remove(set.pollFirst().id());
            }
        }
    }

    /** DELAYED and FAILING jobs due at {@code now}, earliest first within each state. */
    List<JobRecord> due(Instant now) {
        List<JobRecord> due = new ArrayList<>();
        for (JobState s : SCHEDULED) {
            for (JobRecord job : byState.get(s)) {
                if (job.runAt().isAfter(now)) {
                    break;
                }
                due.add(job);
            }
        }
        return due;
    }

    /** When the earliest scheduled job becomes due, or {@code null}. */
    Instant nextDue() {
        Instant next = null;
        for (JobState s : SCHEDULED) {
            NavigableSet<JobRecord> set = byState.get(s);
            if (!set.isEmpty() && (next == null || set.first().runAt().isBefore(next))) {
                next = set.first().runAt();
            }
        }
        return next;
    }

    /** How many jobs are PROCESSING (leases that ended included, until the reaper requeues them). */
    int running() {
        return byState.get(JobState.PROCESSING).size();
    }

    JobRecord firstReady() {
        NavigableSet<JobRecord> ready = byState.get(JobState.QUEUED);
        return ready.isEmpty() ? null : ready.first();
    }

    /** PROCESSING jobs whose lease ended at {@code now}, oldest deadline first. */
    List<JobRecord> expiredLeases(Instant now, int limit) {
        List<JobRecord> expired = new ArrayList<>();
        for (JobRecord job : byState.get(JobState.PROCESSING)) {
            if (expired.size() >= limit || job.leaseDeadline().isAfter(now)) {
                break;
            }
            expired.add(job);
        }
        return expired;
    }

    long count(JobState state, Instant now) {
        NavigableSet<JobRecord> set = byState.get(state);
        long count = set.size();
        if (state.isTerminal()) {
            for (JobRecord job : set) {
                if (!job.isExpiredAt(now)) {
                    break;
                }
                count--;
            }
        }
        return count;
    }

    /** Ids in {@code state}, in processing order for QUEUED, due order, lease order, else expiry order. */
    List<String> list(JobState state, int limit, Instant now) {
        List<String> ids = new ArrayList<>();
        for (JobRecord job : page(state, ListOrder.OLDEST_FIRST, null, limit, now)) {
            ids.add(job.id());
        }
        return ids;
    }

    /**
     * Up to {@code limit} live jobs of {@code state} in {@code order}, strictly after {@code after}
     * (a record or probe comparing like the last job of the previous page; {@code null} = from the
     * start). Work is proportional to the jobs returned (plus expired records not yet swept, which
     * only sit at the old end of a terminal state's set).
     */
    List<JobRecord> page(JobState state, ListOrder order, JobRecord after, int limit, Instant now) {
        NavigableSet<JobRecord> set = byState.get(state);
        NavigableSet<JobRecord> view = order == ListOrder.OLDEST_FIRST ? set : set.descendingSet();
        Iterator<JobRecord> it = (after == null ? view : view.tailSet(after, false)).iterator();
        List<JobRecord> page = new ArrayList<>(Math.min(limit, 1024));
        while (page.size() < limit && it.hasNext()) {
            JobRecord job = it.next();
            if (job.isExpiredAt(now)) {
                if (order == ListOrder.NEWEST_FIRST) {
                    break; // everything older has expired too
                }
                continue;
            }
            page.add(job);
        }
        return page;
    }

    LockRecord lock(String name) {
        return locks.get(name);
    }

    void putLock(LockRecord lock) {
        locks.put(lock.name(), lock);
    }

    void removeLock(String name) {
        locks.remove(name);
    }

    void forEachJob(Consumer<JobRecord> action) {
        jobs.values().forEach(action);
    }

    void forEachLock(Consumer<LockRecord> action) {
        locks.values().forEach(action);
    }
}
