package dev.jobqueue.memory;

import dev.jobqueue.JobState;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The records in some states (DELAYED and FAILING, or PROCESSING, or terminal) ordered by their
 * {@link JobRecord#deadline} (due time, lease deadline or expiry), earliest first, so that
 * promotion, reaping and expiry read only what is due instead of scanning every job.
 *
 * <p>An entry is a hint, a (time, record) pair: it is <em>current</em> while the record is in one
 * of this index's states with that deadline and still stored. Transitions never look for their
 * record's old entry: a record that leaves the index, or gets a new deadline, just makes its old
 * entry stale (callers count that with {@link #noteStale}, which drives compaction), and a new
 * deadline gets a new entry. Stale entries are dropped when they reach the head, or by a
 * compaction once they pile up. This makes an entry two array slots instead of an object.
 *
 * <p>Why dropping a stale-looking entry without the record's monitor is safe: an entry is added
 * (under this index's lock) after its record's fields were written, so a later look sees those
 * values or newer ones; newer values that no longer match come from a transition that adds a new
 * entry whenever the record is back in this index. Callers that act on a polled record re-check
 * under its monitor that it is in this index's states and due ({@link #isDue}).
 *
 * <p>Every enqueue and claim asks whether anything is due; a volatile lower bound of the earliest
 * time answers "no" without taking the lock, so the common case costs one read.
 */
final class TimeIndex {
    private static final int COMPACT_THRESHOLD = 4096;

    /** By state ordinal: the states whose records this index holds. */
    private final boolean[] member = new boolean[JobState.values().length];
    private final DeadlineQueue entries = new DeadlineQueue();
    /**
     * At most the earliest current entry's time ({@link Long#MAX_VALUE} when empty). Written under
     * the lock; stale entries only make the true earliest later, so it stays a lower bound.
     */
    private volatile long earliestBound = Long.MAX_VALUE;
    /** Stale entries still inside; approximate, it only decides when to compact. */
    private final AtomicInteger staleInside = new AtomicInteger();

    /** An index of the records in {@code states}. */
    TimeIndex(JobState... states) {
        for (JobState s : states) {
            member[s.ordinal()] = true;
        }
    }

    /** True when {@code (at, r)} is {@code r}'s current entry (see the class comment for reads without the monitor). */
    private boolean current(long at, JobRecord r) {
        return member[r.state.ordinal()] && r.deadline == at && !r.gone;
    }

    /** True when {@code r} is in this index and its deadline is at or before {@code now}. Caller holds r's monitor. */
    boolean isDue(JobRecord r, long now) {
        return member[r.state.ordinal()] && !r.gone && r.deadline <= now;
    }

    /** Adds an entry for {@code record} at {@code at}, its new deadline. */
    synchronized void add(long at, JobRecord record) {
        entries.add(at, record);
        if (at < earliestBound) {
            earliestBound = at;
        }
        afterInsert();
    }

    /** Counts {@code n} entries that transitions made stale. */
    void noteStale(int n) {
        if (n > 0) {
            staleInside.addAndGet(n);
        }
    }

    /** Caller holds the lock. */
    private void afterInsert() {
        int stale = staleInside.get();
        if (stale > COMPACT_THRESHOLD && stale > entries.size() / 2) {
            entries.removeIf((at, r) -> !current(at, r));
            staleInside.set(0);
        }
        // Stale entries at the head leave now rather than at the next due check: lease entries of
        // jobs that finish in claim order would otherwise pile up until a compaction. Only when
        // some are known: looking at the head costs a cache miss in the expiry index, whose head
        // is its oldest record.
        if (stale > 0) {
            liveHead();
        }
    }

    /**
     * Takes the earliest current entry if its time is at or before {@code now} and returns its
     * record; null when none is due. The caller re-checks {@link #isDue} under the record's monitor.
     */
    JobRecord pollDue(long now) {
        return earliestBound > now ? null : pollDueLocked(now);
    }

    private synchronized JobRecord pollDueLocked(long now) {
        if (!liveHead() || entries.peekTime() > now) {
            return null;
        }
        JobRecord r = entries.peekRecord();
        entries.poll();
        return r;
    }

    /** The earliest time in the index, or {@link Millis#NONE}. */
    synchronized long earliest() {
        return liveHead() ? entries.peekTime() : Millis.NONE;
    }

    boolean hasDue(long now) {
        if (earliestBound > now) {
            return false;
        }
        long first = earliest();
        return first != Millis.NONE && first <= now;
    }

    /** Entries held, stale ones included (for footprint checks). */
    synchronized int entries() {
        return entries.size();
    }

    /** Records with a current entry, in time order, each once, as of now. */
    List<JobRecord> records() {
        List<JobRecord> sorted;
        synchronized (this) {
            sorted = entries.sortedRecords(this::current);
        }
        // A record can have two current entries (back in the index with the same deadline).
        Set<JobRecord> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        sorted.removeIf(r -> !seen.add(r));
        return sorted;
    }

    /**
     * One page of the records in {@code state} with a current entry, in (deadline, sequence)
     * order after {@code from} (null: from the start), as (deadline, record) pairs; reversed for
     * a descending page. Callers re-check each record under its monitor.
     */
    synchronized List<DeadlineQueue.Pair> page(JobState state, ListCursor from, boolean ascending, int max) {
        return entries.range(from != null, from == null ? 0 : from.primary(), from == null ? 0 : from.sequence(),
                ascending, max, (at, r) -> r.state == state && current(at, r));
    }

    /** Drops stale entries from the head; true when a current one is left. Caller holds the lock. */
    private boolean liveHead() {
        while (!entries.isEmpty() && !current(entries.peekTime(), entries.peekRecord())) {
            entries.poll();
            if (staleInside.get() > 0) {
                staleInside.decrementAndGet();
            }
        }
        boolean any = !entries.isEmpty();
        earliestBound = any ? entries.peekTime() : Long.MAX_VALUE;
        return any;
    }
}
