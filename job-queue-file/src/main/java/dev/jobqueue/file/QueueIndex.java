package dev.jobqueue.file;

import dev.jobqueue.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The in-memory index of one queue: every live job by id, plus the orderings the operations need
 * so that none of them scans all jobs (ready by priority then FIFO, scheduled by due time, leases
 * by deadline, terminal records by expiry).
 */
final class QueueIndex {
    /** Higher priority first; compared, never negated, since {@code -Integer.MIN_VALUE} overflows to itself. */
    private static final Comparator<JobRecord> READY_ORDER = Comparator
            .comparingInt(JobRecord::priority).reversed().thenComparingLong(JobRecord::seq)
            .thenComparing(JobRecord::id);
    private static final Comparator<JobRecord> DUE_ORDER = Comparator
            .comparing(JobRecord::runAt).thenComparingLong(JobRecord::seq).thenComparing(JobRecord::id);
    private static final Comparator<JobRecord> LEASE_ORDER = Comparator
            .comparing(JobRecord::leaseDeadline).thenComparingLong(JobRecord::seq).thenComparing(JobRecord::id);
    private static final Comparator<JobRecord> EXPIRY_ORDER = Comparator
            .comparing(JobRecord::expiresAt).thenComparingLong(JobRecord::seq).thenComparing(JobRecord::id);

    private final Map<String, JobRecord> jobs = new HashMap<>();
    private final NavigableSet<JobRecord> ready = new TreeSet<>(READY_ORDER);
    private final NavigableSet<JobRecord> scheduled = new TreeSet<>(DUE_ORDER);
    private final NavigableSet<JobRecord> leases = new TreeSet<>(LEASE_ORDER);
    private final NavigableSet<JobRecord> expiring = new TreeSet<>(EXPIRY_ORDER);
    private final Map<JobState, Long> stateCounts = new EnumMap<>(JobState.class);
    private final Map<String, LockRecord> locks = new HashMap<>();

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
            unplace(old);
        }
        place(job);
    }

    private void remove(JobRecord job) {
        jobs.remove(job.id());
        unplace(job);
    }

    private void place(JobRecord job) {
        setFor(job).ifPresent(set -> set.add(job));
        stateCounts.merge(job.state(), 1L, Long::sum);
    }

    private void unplace(JobRecord job) {
        setFor(job).ifPresent(set -> set.remove(job));
        stateCounts.merge(job.state(), -1L, Long::sum);
    }

    private java.util.Optional<NavigableSet<JobRecord>> setFor(JobRecord job) {
        return java.util.Optional.ofNullable(switch (job.state()) {
            case QUEUED -> ready;
            case DELAYED, FAILING -> scheduled;
            case PROCESSING -> leases;
            case COMPLETED, FAILED, CANCELLED -> expiring;
        });
    }

    /** Drops terminal records whose TTL ended; they no longer exist for any operation. */
    void sweepExpired(Instant now) {
        while (!expiring.isEmpty() && expiring.first().isExpiredAt(now)) {
            remove(expiring.first());
        }
    }

    /** DELAYED and FAILING jobs due at {@code now}, earliest first. */
    List<JobRecord> due(Instant now) {
        List<JobRecord> due = new ArrayList<>();
        for (JobRecord job : scheduled) {
            if (job.runAt().isAfter(now)) {
                break;
            }
            due.add(job);
        }
        return due;
    }

    /** When the earliest scheduled job becomes due, or {@code null}. */
    Instant nextDue() {
        return scheduled.isEmpty() ? null : scheduled.first().runAt();
    }

    JobRecord firstReady() {
        return ready.isEmpty() ? null : ready.first();
    }

    /** PROCESSING jobs whose lease ended at {@code now}, oldest deadline first. */
    List<JobRecord> expiredLeases(Instant now, int limit) {
        List<JobRecord> expired = new ArrayList<>();
        for (JobRecord job : leases) {
            if (expired.size() >= limit || job.leaseDeadline().isAfter(now)) {
                break;
            }
            expired.add(job);
        }
        return expired;
    }

    long count(JobState state, Instant now) {
        long count = stateCounts.getOrDefault(state, 0L);
        if (state.isTerminal()) {
            for (JobRecord job : expiring) {
                if (!job.isExpiredAt(now)) {
                    break;
                }
                if (job.state() == state) {
                    count--;
                }
            }
        }
        return count;
    }

    /** Ids in {@code state}, in processing order for QUEUED, due order, lease order, else expiry order. */
    List<String> list(JobState state, int limit, Instant now) {
        NavigableSet<JobRecord> source = switch (state) {
            case QUEUED -> ready;
            case DELAYED, FAILING -> scheduled;
            case PROCESSING -> leases;
            case COMPLETED, FAILED, CANCELLED -> expiring;
        };
        List<String> ids = new ArrayList<>();
        for (JobRecord job : source) {
            if (ids.size() >= limit) {
                break;
            }
            if (job.state() == state && !job.isExpiredAt(now)) {
                ids.add(job.id());
            }
        }
        return ids;
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
