package dev.jobqueue.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * (time, record) pairs, earliest time first: the storage behind {@link TimeIndex}. The same idea as
 * {@link MostlyOrderedQueue} (a sorted run for pairs that arrive in order or a little late, a heap
 * for the rest), but the run keeps times and records in parallel arrays, so the common pair costs
 * two array slots and no object: a kept terminal record must not pay for an index entry object for
 * as long as its result is kept. The run is a deque of fixed-size chunks rather than one ring, so
 * an index of a million kept records never copies itself to grow nor allocates one huge array.
 * Equal times come out in any order. Not thread-safe: {@link TimeIndex} guards it with its lock.
 */
final class DeadlineQueue {
    /**
     * How far from the run's tail a late pair may still be slotted in: a few racing batches' worth
     * (a claim or completeAll of 64 jobs reads the clock once and adds its pairs after another
     * thread added a later batch).
     */
    private static final int REORDER_WINDOW = 256;

    /** A (time, record) pair: one that came too late for the run, or one of a {@link #range} page. */
    record Pair(long at, JobRecord record) {
    }

    /** Chunks of 1,024 pairs (12 KiB). */
    private static final int CHUNK_BITS = 10;

    /**
     * The run: element i (from the head) is at global position {@code head + i}, in chunk
     * {@code position >>> chunkBits} (kept at that number modulo the chunk ring's length) at
     * offset {@code position & chunkMask}. Chunks before the head's are released.
     */
    private long[][] timeChunks = new long[4][];
    private JobRecord[][] recordChunks = new JobRecord[4][];
    /** One released pair of chunks kept for reuse, so a steady FIFO allocates none. */
    private long[] spareTimes;
    private JobRecord[] spareRecords;
    private long head;
    private int count;
    private final PriorityQueue<Pair> late = new PriorityQueue<>(Comparator.comparingLong(Pair::at));
    private final int reorderWindow;
    private final int chunkBits;
    private final int chunkMask;

    DeadlineQueue() {
        this(REORDER_WINDOW, CHUNK_BITS);
    }

    /** A queue with another reorder window and chunk size, so tests reach the heap and chunk edges with few pairs. */
    DeadlineQueue(int reorderWindow, int chunkBits) {
        this.reorderWindow = reorderWindow;
        this.chunkBits = chunkBits;
        this.chunkMask = (1 << chunkBits) - 1;
    }

    void add(long at, JobRecord record) {
        int stop = Math.max(0, count - reorderWindow);
        int pos = count;
        while (pos > stop && timeAt(pos - 1) > at) {
            pos--;
        }
        if (pos == stop && stop > 0 && timeAt(stop - 1) > at) {
            late.add(new Pair(at, record));
            return;
        }
        ensureChunkFor(head + count);
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
        set(0, 0, null);
        head++;
        count--;
        if ((head & chunkMask) == 0) {
            release(head - 1);
        }
    }

    int size() {
        return count + late.size();
    }

    /** What {@link #removeIf} asks of each pair. */
    interface PairTest {
        boolean test(long at, JobRecord record);
    }

    /** Drops the matching pairs, compacting the run in place (it stays sorted). */
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
        if (n < count) {
            // Chunks wholly past the new tail are released.
            long lastUsedChunk = (head + count - 1) >>> chunkBits;
            for (long c = (head + n + chunkMask) >>> chunkBits; c <= lastUsedChunk; c++) {
                release(c << chunkBits);
            }
        }
        count = n;
        late.removeIf(l -> filter.test(l.at(), l.record()));
    }

    /** The records of the pairs that {@code keep} accepts, earliest first. */
    List<JobRecord> sortedRecords(PairTest keep) {
        List<Pair> all = new ArrayList<>(size());
        for (int i = 0; i < count; i++) {
            if (keep.test(timeAt(i), recordAt(i))) {
                all.add(new Pair(timeAt(i), recordAt(i)));
            }
        }
        for (Pair l : late) {
            if (keep.test(l.at(), l.record())) {
                all.add(l);
            }
        }
        all.sort(Comparator.comparingLong(Pair::at));
        List<JobRecord> out = new ArrayList<>(all.size());
        for (Pair l : all) {
            out.add(l.record());
        }
        return out;
    }

    /**
     * Up to {@code max} records of pairs that {@code keep} accepts, in (time, sequence) order,
     * strictly after the key ({@code fromAt}, {@code fromSequence}) when {@code from} is set; with
     * {@code ascending} false, strictly before it, latest first. The run is sorted by time only,
     * so the records of one time are gathered before they are ordered by sequence: the work is a
     * binary search, the pairs read until {@code max} are found and their last time is complete,
     * and the late pairs.
     */
    List<Pair> range(boolean from, long fromAt, long fromSequence, boolean ascending, int max, PairTest keep) {
        List<Pair> found = new ArrayList<>(Math.min(max + 1, 64));
        // A record may have two pairs of one time (back in the index at the same deadline): count it once.
        Set<JobRecord> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        PairTest wanted = (at, r) -> keep.test(at, r) && (!from || (ascending
                ? at > fromAt || (at == fromAt && r.sequence > fromSequence)
                : at < fromAt || (at == fromAt && r.sequence < fromSequence))) && seen.add(r);
        if (ascending) {
            long lastTime = Long.MIN_VALUE;
            for (int i = from ? firstAtOrAfter(fromAt) : 0; i < count; i++) {
                long at = timeAt(i);
                if (found.size() >= max && at > lastTime) {
                    break;
                }
                JobRecord r = recordAt(i);
                if (wanted.test(at, r)) {
                    found.add(new Pair(at, r));
                    lastTime = at;
                }
            }
        } else {
            long lastTime = Long.MAX_VALUE;
            for (int i = (from ? firstAtOrAfter(fromAt == Long.MAX_VALUE ? fromAt : fromAt + 1) : count) - 1; i >= 0; i--) {
                long at = timeAt(i);
                if (found.size() >= max && at < lastTime) {
                    break;
                }
                JobRecord r = recordAt(i);
                if (wanted.test(at, r)) {
                    found.add(new Pair(at, r));
                    lastTime = at;
                }
            }
        }
        for (Pair l : late) {
            if (wanted.test(l.at(), l.record())) {
                found.add(l);
            }
        }
        Comparator<Pair> byKey = Comparator.comparingLong(Pair::at).thenComparingLong(l -> l.record().sequence);
        found.sort(ascending ? byKey : byKey.reversed());
        return found.size() > max ? new ArrayList<>(found.subList(0, max)) : found;
    }

    /** The first run index whose time is at or after {@code at} ({@code count} when none). */
    private int firstAtOrAfter(long at) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (timeAt(mid) >= at) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private boolean headIsLate() {
        Pair l = late.peek();
        return l != null && (count == 0 || l.at() < timeAt(0));
    }

    private long timeAt(int i) {
        long p = head + i;
        return timeChunks[chunkSlot(p)][(int) p & chunkMask];
    }

    private JobRecord recordAt(int i) {
        long p = head + i;
        return recordChunks[chunkSlot(p)][(int) p & chunkMask];
    }

    private void set(int i, long at, JobRecord record) {
        long p = head + i;
        int slot = chunkSlot(p);
        timeChunks[slot][(int) p & chunkMask] = at;
        recordChunks[slot][(int) p & chunkMask] = record;
    }

    private int chunkSlot(long position) {
        return (int) (position >>> chunkBits) & (timeChunks.length - 1);
    }

    /** Makes sure the chunk holding {@code position} (the next tail position) exists. */
    private void ensureChunkFor(long position) {
        long firstChunk = head >>> chunkBits;
        long lastChunk = position >>> chunkBits;
        if (lastChunk - firstChunk >= timeChunks.length) {
            growChunkRing(firstChunk, lastChunk - 1);
        }
        int slot = chunkSlot(position);
        if (timeChunks[slot] == null) {
            if (spareTimes != null) {
                timeChunks[slot] = spareTimes;
                recordChunks[slot] = spareRecords;
                spareTimes = null;
                spareRecords = null;
            } else {
                timeChunks[slot] = new long[chunkMask + 1];
                recordChunks[slot] = new JobRecord[chunkMask + 1];
            }
        }
    }

    /** Frees the chunk holding {@code position}, keeping it as the spare. Its records are already cleared. */
    private void release(long position) {
        int slot = chunkSlot(position);
        if (timeChunks[slot] != null) {
            spareTimes = timeChunks[slot];
            spareRecords = recordChunks[slot];
            timeChunks[slot] = null;
            recordChunks[slot] = null;
        }
    }

    /** Doubles the chunk ring, placing chunks {@code first..last} at their numbers modulo the new length. */
    private void growChunkRing(long first, long last) {
        long[][] moreTimes = new long[timeChunks.length * 2][];
        JobRecord[][] moreRecords = new JobRecord[recordChunks.length * 2][];
        for (long c = first; c <= last; c++) {
            int from = (int) c & (timeChunks.length - 1);
            int to = (int) c & (moreTimes.length - 1);
            moreTimes[to] = timeChunks[from];
            moreRecords[to] = recordChunks[from];
        }
        timeChunks = moreTimes;
        recordChunks = moreRecords;
    }
}
