package dev.jobqueue.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** MostlyOrderedQueue polls exactly like a PriorityQueue, whatever order elements arrive in, and lists ranges like a sorted list. */
class MostlyOrderedQueueProperties {

    /** Each int is an operation: negative polls, otherwise adds that value. */
    @Property(tries = 300)
    void pollsInTheSameOrderAsAPriorityQueue(
            @ForAll @Size(max = 200) List<@IntRange(min = -30, max = 60) Integer> operations) {
        Comparator<long[]> order = Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]);
        MostlyOrderedQueue<long[]> tested = new MostlyOrderedQueue<>(order);
        PriorityQueue<long[]> reference = new PriorityQueue<>(order);
        long arrival = 0;
        for (int op : operations) {
            if (op < 0) {
                assertEquals(describe(reference.peek()), describe(tested.peek()), "peek");
                assertEquals(describe(reference.poll()), describe(tested.poll()), "poll");
            } else {
                long[] element = {op, arrival++};
                tested.add(element);
                reference.add(element);
            }
            assertEquals(reference.size(), tested.size(), "size");
        }
        List<String> expected = new ArrayList<>();
        while (!reference.isEmpty()) {
            expected.add(describe(reference.poll()));
        }
        List<String> sorted = new ArrayList<>();
        tested.sorted().forEach(e -> sorted.add(describe(e)));
        assertEquals(expected, sorted, "sorted()");
    }

    /**
     * range gives the elements strictly after (or before) a position, in order, as a sorted list
     * of every element does, wherever the position falls and whatever {@code keep} drops.
     */
    @Property(tries = 300)
    void rangeAgreesWithASortedList(@ForAll @Size(max = 150) List<@IntRange(min = -10, max = 40) Integer> operations,
                                    @ForAll @IntRange(min = -2, max = 42) int positionValue,
                                    @ForAll @IntRange(min = -1, max = 160) int positionArrival,
                                    @ForAll boolean fromStart,
                                    @ForAll boolean ascending,
                                    @ForAll @IntRange(min = 1, max = 10) int max,
                                    @ForAll @IntRange(min = 1, max = 4) int keepModulus) {
        Comparator<long[]> order = Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]);
        MostlyOrderedQueue<long[]> tested = new MostlyOrderedQueue<>(order);
        PriorityQueue<long[]> reference = new PriorityQueue<>(order);
        long arrival = 0;
        for (int op : operations) {
            if (op < 0) {
                tested.poll();
                reference.poll();
            } else {
                long[] element = {op, arrival++};
                tested.add(element);
                reference.add(element);
            }
        }
        long[] position = {positionValue, positionArrival};
        List<long[]> all = new ArrayList<>(reference);
        all.sort(ascending ? order : order.reversed());
        List<String> expected = new ArrayList<>();
        for (long[] e : all) {
            int side = order.compare(e, position);
            boolean wanted = fromStart || (ascending ? side > 0 : side < 0);
            if (wanted && e[1] % keepModulus == 0 && expected.size() < max) {
                expected.add(describe(e));
            }
        }
        List<String> actual = new ArrayList<>();
        tested.range(fromStart ? null : position, ascending, max, e -> e[1] % keepModulus == 0)
                .forEach(e -> actual.add(describe(e)));
        assertEquals(expected, actual);
    }

    @Property(tries = 100)
    void removeIfKeepsTheOrderOfTheRest(@ForAll @Size(max = 100) List<@IntRange(min = 0, max = 50) Integer> values,
                                        @ForAll @IntRange(min = 2, max = 5) int modulus) {
        // The order must be total, as claim order is (priority, then a unique sequence): equal values
        // are told apart by their arrival.
        Comparator<long[]> order = Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]);
        MostlyOrderedQueue<long[]> tested = new MostlyOrderedQueue<>(order);
        List<long[]> elements = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            long[] e = {values.get(i), i};
            elements.add(e);
            tested.add(e);
        }
        tested.removeIf(e -> e[0] % modulus == 0);
        List<String> expected = new ArrayList<>();
        elements.stream().filter(e -> e[0] % modulus != 0).sorted(order).forEach(e -> expected.add(describe(e)));
        List<String> polled = new ArrayList<>();
        long[] e;
        while ((e = tested.poll()) != null) {
            polled.add(describe(e));
        }
        assertEquals(expected, polled);
    }

    private static String describe(long[] e) {
        return e == null ? "none" : e[0] + "#" + e[1];
    }
}
