package dev.jobqueue.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The QUEUED jobs of one queue, ordered by priority (higher first) then enqueue sequence (FIFO),
 * plus the wait/wake-up machinery for idle claimers. Critical sections are one queue operation
 * each, O(1) for jobs that arrive in claim order (one priority, fresh enqueues).
 *
 * <p>A cancelled or deleted QUEUED job is not searched for: its entry goes stale (state no
 * longer QUEUED, or the record gone) and is skipped when it reaches the top; the queue is compacted when stale entries pile up.
 */
final class ReadyQueue {
    static final Comparator<JobRecord> CLAIM_ORDER = (a, b) -> {
        int c = Integer.compare(b.priority, a.priority);
        return c != 0 ? c : Long.compare(a.sequence, b.sequence);
    };
    private static final int COMPACT_THRESHOLD = 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final MostlyOrderedQueue<JobRecord> queued = new MostlyOrderedQueue<>(CLAIM_ORDER);
    private int waiters;
    private int staleEntries;
    /**
     * Bumped (under the lock) when something changes what an idle claimer should wait for (earlier
     * due job, close); volatile so that a claim can read it without the lock.
     */
    private volatile long wakeVersion;

    void push(JobRecord record) {
        lock.lock();
        try {
            queued.add(record);
            if (waiters > 0) {
                workArrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    void pushAll(List<JobRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            records.forEach(queued::add);
            for (int i = Math.min(waiters, records.size()); i > 0; i--) {
                workArrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} QUEUED records in claim order, dropping stale entries on the way. */
    List<JobRecord> poll(int max) {
        List<JobRecord> out = new ArrayList<>(Math.min(max, 64));
        lock.lock();
        try {
            while (out.size() < max) {
                JobRecord r = queued.poll();
                if (r == null) {
                    break;
                }
                if (r.isReady()) {
                    out.add(r);
                } else if (staleEntries > 0) {
                    staleEntries--;
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    /** A QUEUED record was cancelled: its entry is now stale. */
    void noteStale() {
        lock.lock();
        try {
            staleEntries++;
            if (staleEntries > COMPACT_THRESHOLD && staleEntries > queued.size() / 2) {
                queued.removeIf(r -> !r.isReady());
                staleEntries = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every idle claimer so it re-reads the due index (a job due earlier arrived) or sees close. */
    void wakeAll() {
        lock.lock();
        try {
            wakeVersion++;
            workArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long wakeVersion() {
        return wakeVersion;
    }

    /**
     * Waits up to {@code nanos} for a push or a wake-up, unless work is already there or a wake-up
     * happened since {@code seenVersion} was read.
     */
    void awaitWork(long nanos, long seenVersion) throws InterruptedException {
        lock.lock();
        try {
            if (wakeVersion != seenVersion || hasLiveEntry()) {
                return;
            }
            waiters++;
            try {
                workArrived.awaitNanos(nanos);
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code nanos} for a wake-up ({@link #wakeAll}) or a push, unless a wake-up
     * happened since {@code seenVersion} was read: what a claim on a paused queue waits for,
     * whatever the queue holds.
     */
    void awaitWake(long nanos, long seenVersion) throws InterruptedException {
        lock.lock();
        try {
            if (wakeVersion != seenVersion) {
                return;
            }
            waiters++;
            try {
                workArrived.awaitNanos(nanos);
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean hasLiveEntry() {
        JobRecord top;
        while ((top = queued.peek()) != null && !top.isReady()) {
            queued.poll();
            if (staleEntries > 0) {
                staleEntries--;
            }
        }
        return top != null;
    }

    /** Entries held, stale ones included (for footprint checks). */
    int entries() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One page of the QUEUED records in claim order after {@code from} (null: from the start);
     * reversed for a descending page.
     */
    List<JobRecord> page(ListCursor from, boolean ascending, int max) {
        lock.lock();
        try {
            JobRecord position = from == null ? null : JobRecord.probe((int) -from.primary(), from.sequence());
            return queued.range(position, ascending, max, JobRecord::isReady);
        } finally {
            lock.unlock();
        }
    }

    /** The key of {@code r} in claim order, for a listing cursor: higher priority first, then FIFO. */
    static long claimOrderPrimary(JobRecord r) {
        return -(long) r.priority;
    }

    /** QUEUED records in claim order, at most {@code limit}. */
    List<JobRecord> snapshot(int limit) {
        List<JobRecord> all;
        lock.lock();
        try {
            all = queued.sorted();
        } finally {
            lock.unlock();
        }
        all.removeIf(r -> !r.isReady());
        return all.size() > limit ? new ArrayList<>(all.subList(0, limit)) : all;
    }
}
