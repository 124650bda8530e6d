package dev.jobqueue.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * (time, record) pairs, earliest time first: the storage behind {@link TimeIndex}. The same idea as
 * {@link MostlyOrderedQueue} (a sorted ring for pairs that arrive in order or a little late, a heap
 * for the rest), but the ring keeps times and records in two parallel arrays, so the common pair
 * costs two array slots and no object: a kept terminal record must not pay for an index entry
 * object for as long as its result is kept. Equal times come out in any order. Not thread-safe:
 * {@link TimeIndex} guards it with its lock.
 */
final class DeadlineQueue {
    /**
     * How far from the ring's tail a late pair may still be slotted in: a few racing batches' worth
     * (a claim or completeAll of 64 jobs reads the clock once and adds its pairs after another
     * thread added a later batch).
     */
    private static final int REORDER_WINDOW = 256;

    /** A pair that came too late for the ring. */
    private record Late(long at, JobRecord record) {
    }

    private long[] times = new long[16];
    private JobRecord[] records = new JobRecord[16];
    private int head;
    private int count;
    private final PriorityQueue<Late> late = new PriorityQueue<>(Comparator.comparingLong(Late::at));
    private final int reorderWindow;

    DeadlineQueue() {
        this(REORDER_WINDOW);
    }

    /** A queue with another reorder window, for tests that exercise the heap with few elements. */
    DeadlineQueue(int reorderWindow) {
        this.reorderWindow = reorderWindow;
    }

    void add(long at, JobRecord record) {
        int stop = Math.max(0, count - reorderWindow);
        int pos = count;
        while (pos > stop && timeAt(pos - 1) > at) {
            pos--;
        }
        if (pos == stop && stop > 0 && timeAt(stop - 1) > at) {
            late.add(new Late(at, record));
            return;
        }
        if (count == times.length) {
            grow();
        }
        for (int i = count; i > pos; i--) {
            set(i, timeAt(i - 1), recordAt(i - 1));
        }
        set(pos, at, record);
        count++;
    }

    boolean isEmpty() {
        return count == 0 && late.isEmpty();
    }

    /** The earliest time; the queue must not be empty. */
    long peekTime() {
        return headIsLate() ? late.peek().at() : timeAt(0);
    }

    /** The record of the earliest pair; the queue must not be empty. */
    JobRecord peekRecord() {
        return headIsLate() ? late.peek().record() : recordAt(0);
    }

    /** Removes the earliest pair; the queue must not be empty. */
    void poll() {
        if (headIsLate()) {
            late.poll();
            return;
        }
        int mask = times.length - 1;
        records[head] = null;
        head = (head + 1) & mask;
        count--;
    }

    int size() {
        return count + late.size();
    }

    /** What {@link #removeIf} asks of each pair. */
    interface PairTest {
        boolean test(long at, JobRecord record);
    }

    /** Drops the matching pairs, compacting the ring in place (it stays sorted). */
    void removeIf(PairTest filter) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            long at = timeAt(i);
            JobRecord r = recordAt(i);
            if (!filter.test(at, r)) {
                set(n++, at, r);
            }
        }
        for (int i = n; i < count; i++) {
            set(i, 0, null);
        }
        count = n;
        late.removeIf(l -> filter.test(l.at(), l.record()));
    }

    /** The records of the pairs that {@code keep} accepts, earliest first. */
    List<JobRecord> sortedRecords(PairTest keep) {
        List<Late> all = new ArrayList<>(size());
        for (int i = 0; i < count; i++) {
            if (keep.test(timeAt(i), recordAt(i))) {
                all.add(new Late(timeAt(i), recordAt(i)));
            }
        }
        for (Late l : late) {
            if (keep.test(l.at(), l.record())) {
                all.add(l);
            }
        }
        all.sort(Comparator.comparingLong(Late::at));
        List<JobRecord> out = new ArrayList<>(all.size());
        for (Late l : all) {
            out.add(l.record());
        }
        return out;
    }

    private boolean headIsLate() {
        Late l = late.peek();
        return l != null && (count == 0 || l.at() < timeAt(0));
    }

    private long timeAt(int i) {
        return times[(head + i) & (times.length - 1)];
    }

    private JobRecord recordAt(int i) {
        return records[(head + i) & (records.length - 1)];
    }

    private void set(int i, long at, JobRecord record) {
        int slot = (head + i) & (times.length - 1);
        times[slot] = at;
        records[slot] = record;
    }

    private void grow() {
        long[] moreTimes = new long[times.length * 2];
        JobRecord[] moreRecords = new JobRecord[records.length * 2];
        for (int i = 0; i < count; i++) {
            moreTimes[i] = timeAt(i);
            moreRecords[i] = recordAt(i);
        }
        times = moreTimes;
        records = moreRecords;
        head = 0;
    }
}
