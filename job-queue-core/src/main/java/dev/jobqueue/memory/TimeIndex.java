package dev.jobqueue.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records ordered by a time (due time, lease deadline or expiry), earliest first, so that
 * promotion, reaping and expiry read only what is due instead of scanning every job.
 *
 * <p>Removal is lazy: {@link #remove} marks the entry, and marked entries are dropped when they
 * reach the head (or by a compaction once they pile up). Callers keep each record's current entry
 * in {@link JobRecord#indexEntry} and, after {@link #pollDue}, check under the record's monitor
 * that the polled entry is still the current one.
 *
 * <p>Every enqueue and claim asks whether anything is due; a volatile lower bound of the earliest
 * time answers "no" without taking the lock, so the common case costs one read.
 */
final class TimeIndex {
    /** One record at one time. {@code tieBreak} orders equal times. */
    static final class Entry {
        final long at;
        final long tieBreak;
        final JobRecord record;
        volatile boolean removed;

        Entry(long at, long tieBreak, JobRecord record) {
            this.at = at;
            this.tieBreak = tieBreak;
            this.record = record;
        }
    }

    private static final Comparator<Entry> ORDER = (a, b) -> {
        int c = Long.compare(a.at, b.at);
        return c != 0 ? c : Long.compare(a.tieBreak, b.tieBreak);
    };
    private static final int COMPACT_THRESHOLD = 4096;

    private final MostlyOrderedQueue<Entry> entries = new MostlyOrderedQueue<>(ORDER);
    /**
     * At most the earliest live entry's time ({@link Long#MAX_VALUE} when empty). Written under the
     * lock; lazily removed entries only make the true earliest later, so it stays a lower bound.
     */
    private volatile long earliestBound = Long.MAX_VALUE;
    /** Marked entries still inside; approximate, it only decides when to compact. */
    private final AtomicInteger removedInside = new AtomicInteger();

    /**
     * An entry for {@code record} at {@code at}, not yet in the index: a caller makes it under the
     * record's monitor (so it can become the record's current entry at once) and inserts it after,
     * possibly together with others in one {@link #addAll}. Equal times are ordered by the
     * record's enqueue sequence.
     */
    static Entry entry(long at, JobRecord record) {
        return new Entry(at, record.sequence, record);
    }

    /** Adds {@code record} at {@code at}. */
    Entry add(long at, JobRecord record) {
        Entry e = entry(at, record);
        add(e);
        return e;
    }

    /** Inserts an entry made by {@link #entry}. */
    synchronized void add(Entry e) {
        entries.add(e);
        if (e.at < earliestBound) {
            earliestBound = e.at;
        }
        afterInsert();
    }

    /** Inserts the first {@code n} entries made by {@link #entry}, under one lock hold. */
    synchronized void addAll(Entry[] batch, int n) {
        if (n == 0) {
            return;
        }
        long earliest = earliestBound;
        for (int i = 0; i < n; i++) {
            Entry e = batch[i];
            entries.add(e);
            if (e.at < earliest) {
                earliest = e.at;
            }
        }
        earliestBound = earliest;
        afterInsert();
    }

    /** Caller holds the lock. */
    private void afterInsert() {
        int removed = removedInside.get();
        if (removed > COMPACT_THRESHOLD && removed > entries.size() / 2) {
            entries.removeIf(x -> x.removed);
            removedInside.set(0);
        }
        // Entries removed at the head leave now rather than at the next due check: lease entries of
        // jobs that finish in claim order would otherwise pile up until a compaction.
        liveHead();
    }

    /** Marks {@code e} removed; null is ignored. */
    void remove(Entry e) {
        if (markRemoved(e)) {
            removedInside.incrementAndGet();
        }
    }

    /**
     * Marks {@code e} removed without counting it (null is ignored); true when it was live. Batch
     * callers count their removals once with {@link #noteRemoved} instead of once each.
     */
    static boolean markRemoved(Entry e) {
        if (e != null && !e.removed) {
            e.removed = true;
            return true;
        }
        return false;
    }

    /** Counts {@code n} entries marked by {@link #markRemoved}. */
    void noteRemoved(int n) {
        if (n > 0) {
            removedInside.addAndGet(n);
        }
    }

    /** Takes the earliest entry if its time is at or before {@code now}; null when none is due. */
    Entry pollDue(long now) {
        return earliestBound > now ? null : pollDueLocked(now);
    }

    private synchronized Entry pollDueLocked(long now) {
        Entry head = liveHead();
        if (head == null || head.at > now) {
            return null;
        }
        entries.poll();
        return head;
    }

    /** The earliest time in the index, or {@link Millis#NONE}. */
    synchronized long earliest() {
        Entry head = liveHead();
        return head == null ? Millis.NONE : head.at;
    }

    boolean hasDue(long now) {
        if (earliestBound > now) {
            return false;
        }
        long first = earliest();
        return first != Millis.NONE && first <= now;
    }

    /** Entries held, removed-but-not-dropped ones included (for footprint checks). */
    synchronized int entries() {
        return entries.size();
    }

    /** Records in time order, as of now. */
    List<JobRecord> records() {
        List<Entry> sorted;
        synchronized (this) {
            sorted = entries.sorted();
        }
        List<JobRecord> out = new ArrayList<>(sorted.size());
        for (Entry e : sorted) {
            if (!e.removed) {
                out.add(e.record);
            }
        }
        return out;
    }

    /** Drops removed entries from the head and returns the live one (or null). Caller holds the lock. */
    private Entry liveHead() {
        Entry head;
        while ((head = entries.peek()) != null && head.removed) {
            entries.poll();
            removedInside.decrementAndGet();
        }
        earliestBound = head == null ? Long.MAX_VALUE : head.at;
        return head;
    }
}
