package dev.jobqueue.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.contract.TestJobs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** DeadlineQueue polls times in the same order as a PriorityQueue, whatever order pairs arrive in. */
class DeadlineQueueProperties {

    /** Each int is an operation: negative polls, otherwise adds a pair at that time. */
    @Property(tries = 300)
    void pollsTimesInTheSameOrderAsAPriorityQueue(
            @ForAll @Size(max = 200) List<@IntRange(min = -30, max = 60) Integer> operations,
            @ForAll @IntRange(min = 1, max = 8) int reorderWindow,
            @ForAll @IntRange(min = 0, max = 3) int chunkBits) {
        DeadlineQueue tested = new DeadlineQueue(reorderWindow, chunkBits);
        PriorityQueue<Long> reference = new PriorityQueue<>();
        Map<JobRecord, Long> timeOf = new IdentityHashMap<>();
        int added = 0;
        for (int op : operations) {
            if (op < 0) {
                if (reference.isEmpty()) {
                    assertEquals(true, tested.isEmpty(), "empty");
                    continue;
                }
                long expected = reference.poll();
                assertEquals(expected, tested.peekTime(), "peekTime");
                assertEquals(expected, (long) timeOf.get(tested.peekRecord()), "the record polled goes with its time");
                tested.poll();
            } else {
                JobRecord r = record(added++);
                timeOf.put(r, (long) op);
                tested.add(op, r);
                reference.add((long) op);
            }
            assertEquals(reference.size(), tested.size(), "size");
        }
        List<Long> expected = new ArrayList<>(reference);
        expected.sort(Comparator.naturalOrder());
        List<Long> sorted = new ArrayList<>();
        tested.sortedRecords((at, r) -> true).forEach(r -> sorted.add(timeOf.get(r)));
        // sortedRecords holds every record still inside: compare their times, in order.
        assertEquals(expected.size(), sorted.size(), "sortedRecords size");
        List<Long> sortedCopy = new ArrayList<>(sorted);
        sortedCopy.sort(Comparator.naturalOrder());
        assertEquals(sortedCopy, sorted, "sortedRecords is in time order");
    }

    @Property(tries = 100)
    void removeIfKeepsTheOrderOfTheRest(@ForAll @Size(max = 100) List<@IntRange(min = 0, max = 50) Integer> times,
                                        @ForAll @IntRange(min = 2, max = 5) int modulus,
                                        @ForAll @IntRange(min = 1, max = 8) int reorderWindow,
            @ForAll @IntRange(min = 0, max = 3) int chunkBits) {
        DeadlineQueue tested = new DeadlineQueue(reorderWindow, chunkBits);
        for (int i = 0; i < times.size(); i++) {
            tested.add(times.get(i), record(i));
        }
        tested.removeIf((at, r) -> at % modulus == 0);
        List<Long> expected = new ArrayList<>();
        times.stream().filter(t -> t % modulus != 0).forEach(t -> expected.add((long) t));
        // Adding after a compaction reuses or recreates the chunks it released.
        for (int i = 0; i < times.size(); i++) {
            tested.add(50 + i, record(1000 + i));
            expected.add(50L + i);
        }
        expected.sort(Comparator.naturalOrder());
        List<Long> polled = new ArrayList<>();
        while (!tested.isEmpty()) {
            polled.add(tested.peekTime());
            tested.poll();
        }
        assertEquals(expected, polled);
    }

    /**
     * range gives the pairs strictly after (or before) a key in (time, sequence) order, as a sorted
     * list of every pair does, wherever the key falls: on a pair, between pairs, before or after all.
     */
    @Property(tries = 300)
    void rangeAgreesWithASortedList(@ForAll @Size(max = 120) List<@IntRange(min = -10, max = 30) Integer> operations,
                                    @ForAll @IntRange(min = 1, max = 8) int reorderWindow,
                                    @ForAll @IntRange(min = 0, max = 3) int chunkBits,
                                    @ForAll @IntRange(min = -2, max = 32) int cursorTime,
                                    @ForAll @IntRange(min = -1, max = 130) int cursorSequence,
                                    @ForAll boolean withCursor,
                                    @ForAll boolean ascending,
                                    @ForAll @IntRange(min = 1, max = 10) int max) {
        DeadlineQueue tested = new DeadlineQueue(reorderWindow, chunkBits);
        PriorityQueue<DeadlineQueue.Pair> reference = new PriorityQueue<>(KEY_ORDER);
        for (int i = 0; i < operations.size(); i++) {
            int op = operations.get(i);
            if (op < 0) {
                if (!tested.isEmpty()) {
                    // Equal times poll in any order: drop from the reference the pair actually polled.
                    JobRecord polled = tested.peekRecord();
                    reference.removeIf(p -> p.record() == polled);
                    tested.poll();
                }
            } else {
                JobRecord r = record(i);
                tested.add(op, r);
                reference.add(new DeadlineQueue.Pair(op, r));
            }
        }
        List<DeadlineQueue.Pair> all = new ArrayList<>(reference);
        all.sort(ascending ? KEY_ORDER : KEY_ORDER.reversed());
        List<String> expected = new ArrayList<>();
        for (DeadlineQueue.Pair p : all) {
            int c = KEY_ORDER.compare(p, new DeadlineQueue.Pair(cursorTime, record(cursorSequence)));
            if (expected.size() < max && (!withCursor || (ascending ? c > 0 : c < 0))) {
                expected.add(p.at() + "/" + p.record().sequence);
            }
        }
        List<String> actual = new ArrayList<>();
        for (DeadlineQueue.Pair p : tested.range(withCursor, cursorTime, cursorSequence, ascending, max, (at, r) -> true)) {
            actual.add(p.at() + "/" + p.record().sequence);
        }
        assertEquals(expected, actual);
    }

    private static final Comparator<DeadlineQueue.Pair> KEY_ORDER = Comparator.comparingLong(DeadlineQueue.Pair::at)
            .thenComparingLong(p -> p.record().sequence);

    private static JobRecord record(int i) {
        return new JobRecord(TestJobs.job("j" + i).build(), new byte[0], i, 0);
    }
}
