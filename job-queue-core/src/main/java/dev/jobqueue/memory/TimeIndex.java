package dev.jobqueue.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records ordered by a time (due time, lease deadline or expiry), earliest first, so that
 * promotion, reaping and expiry read only what is due instead of scanning every job.
 * Lock-free; callers keep each record's current entry in {@link JobRecord#indexEntry}.
 */
final class TimeIndex {
    /** One record at one time. {@code tieBreak} makes entries unique and orders equal times. */
    static final class Entry implements Comparable<Entry> {
        final long at;
        final long tieBreak;
        final JobRecord record;

        Entry(long at, long tieBreak, JobRecord record) {
            this.at = at;
            this.tieBreak = tieBreak;
            this.record = record;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(tieBreak, o.tieBreak);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && at == e.at && tieBreak == e.tieBreak;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(at) * 31 + Long.hashCode(tieBreak);
        }
    }

    // A map rather than a set: firstEntry() answers null when empty instead of throwing.
    private final ConcurrentSkipListMap<Entry, Boolean> entries = new ConcurrentSkipListMap<>();
    private final AtomicLong tieBreaks = new AtomicLong();

    /** Adds {@code record} at {@code at} and returns its entry. */
    Entry add(long at, JobRecord record) {
        Entry e = new Entry(at, tieBreaks.incrementAndGet(), record);
        entries.put(e, Boolean.TRUE);
        return e;
    }

    /** Adds {@code record} at {@code at}, ordering equal times by {@code tieBreak} (e.g. the enqueue sequence). */
    Entry add(long at, long tieBreak, JobRecord record) {
        Entry e = new Entry(at, tieBreak, record);
        entries.put(e, Boolean.TRUE);
        return e;
    }

    void remove(Entry e) {
        if (e != null) {
            entries.remove(e);
        }
    }

    /**
     * Takes the earliest entry if its time is at or before {@code now}; null when none is due.
     * Only one caller gets a given entry.
     */
    Entry pollDue(long now) {
        while (true) {
            Map.Entry<Entry, Boolean> head = entries.firstEntry();
            if (head == null || head.getKey().at > now) {
                return null;
            }
            if (entries.remove(head.getKey()) != null) {
                return head.getKey();
            }
        }
    }

    /** The earliest time in the index, or {@link Millis#NONE}. */
    long earliest() {
        Map.Entry<Entry, Boolean> head = entries.firstEntry();
        return head == null ? Millis.NONE : head.getKey().at;
    }

    boolean hasDue(long now) {
        long first = earliest();
        return first != Millis.NONE && first <= now;
    }

    /** Records in time order (weakly consistent while others write). */
    List<JobRecord> records() {
        List<JobRecord> out = new ArrayList<>();
        for (Entry e : entries.keySet()) {
            out.add(e.record);
        }
        return out;
    }
}
