package dev.jobqueue.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * A priority queue tuned for input that mostly arrives in order: lease deadlines and expiries
 * with the same duration, jobs of one priority in enqueue order. In-order elements are appended to
 * a FIFO (O(1)); only the rest go to a binary heap. Polling takes the smaller of the two heads.
 * Not thread-safe: owners guard it with their lock.
 */
final class MostlyOrderedQueue<T> {
    private final Comparator<? super T> order;
    private final ArrayDeque<T> inOrder = new ArrayDeque<>();
    private final PriorityQueue<T> outOfOrder;

    MostlyOrderedQueue(Comparator<? super T> order) {
        this.order = order;
        this.outOfOrder = new PriorityQueue<>(order);
    }

    void add(T element) {
        T last = inOrder.peekLast();
        if (last == null || order.compare(last, element) <= 0) {
            inOrder.addLast(element);
        } else {
            outOfOrder.add(element);
        }
    }

    /** The smallest element, or null when empty. */
    T peek() {
        T a = inOrder.peekFirst();
        T b = outOfOrder.peek();
        if (a == null) {
            return b;
        }
        return b == null || order.compare(a, b) <= 0 ? a : b;
    }

    /** Removes and returns the smallest element, or null when empty. */
    T poll() {
        T a = inOrder.peekFirst();
        T b = outOfOrder.peek();
        if (a == null) {
            return outOfOrder.poll();
        }
        return b == null || order.compare(a, b) <= 0 ? inOrder.pollFirst() : outOfOrder.poll();
    }

    int size() {
        return inOrder.size() + outOfOrder.size();
    }

    void removeIf(Predicate<? super T> filter) {
        inOrder.removeIf(filter);
        outOfOrder.removeIf(filter);
    }

    /** All elements, smallest first. */
    List<T> sorted() {
        List<T> all = new ArrayList<>(size());
        all.addAll(inOrder);
        all.addAll(outOfOrder);
        all.sort(order);
        return all;
    }
}
