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

/** MostlyOrderedQueue polls exactly like a PriorityQueue, whatever order elements arrive in. */
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

    @Property(tries = 100)
    void removeIfKeepsTheOrderOfTheRest(@ForAll @Size(max = 100) List<@IntRange(min = 0, max = 50) Integer> values,
                                        @ForAll @IntRange(min = 2, max = 5) int modulus) {
        MostlyOrderedQueue<Integer> tested = new MostlyOrderedQueue<>(Comparator.naturalOrder());
        values.forEach(tested::add);
        tested.removeIf(v -> v % modulus == 0);
        List<Integer> expected = new ArrayList<>(values);
        expected.removeIf(v -> v % modulus == 0);
        expected.sort(Comparator.naturalOrder());
        List<Integer> polled = new ArrayList<>();
        Integer v;
        while ((v = tested.poll()) != null) {
            polled.add(v);
        }
        assertEquals(expected, polled);
    }

    private static String describe(long[] e) {
        return e == null ? "none" : e[0] + "#" + e[1];
    }
}
