package dev.jobqueue.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A priority queue tuned for input that mostly arrives in order: lease deadlines and expiries
 * with the same duration, jobs of one priority in enqueue order. Elements go to a sorted run (a
 * ring buffer): appended in O(1) when in order, or slotted in a few places from its tail when they
 * are only slightly late, as happens when concurrent callers compute their times or sequences
 * first and take the lock in another order. Only elements later than that go to a binary heap.
 * Polling takes the smaller of the two heads. Not thread-safe: owners guard it with their lock.
 */
final class MostlyOrderedQueue<T> {
    /** How far from the run's tail a late element may still be slotted in (a few racing callers' worth). */
    private static final int REORDER_WINDOW = 32;

    private final Comparator<? super T> order;
    /** The sorted run: element i (from the head) sits at {@code run[(head + i) & (run.length - 1)]}. */
    private Object[] run = new Object[16];
    private int head;
    private int count;
    private final PriorityQueue<T> outOfOrder;

    MostlyOrderedQueue(Comparator<? super T> order) {
        this.order = order;
        this.outOfOrder = new PriorityQueue<>(order);
    }

    void add(T element) {
        int stop = Math.max(0, count - REORDER_WINDOW);
        int pos = count;
        while (pos > stop && order.compare(at(pos - 1), element) > 0) {
            pos--;
        }
        if (pos == stop && stop > 0 && order.compare(at(stop - 1), element) > 0) {
            outOfOrder.add(element);
            return;
        }
        if (count == run.length) {
            grow();
        }
        for (int i = count; i > pos; i--) {
            set(i, at(i - 1));
        }
        set(pos, element);
        count++;
    }

    /** The smallest element, or null when empty. */
    T peek() {
        T a = count == 0 ? null : at(0);
        T b = outOfOrder.peek();
        if (a == null) {
            return b;
        }
        return b == null || order.compare(a, b) <= 0 ? a : b;
    }

    /** Removes and returns the smallest element, or null when empty. */
    T poll() {
        if (count == 0) {
            return outOfOrder.poll();
        }
        T a = at(0);
        T b = outOfOrder.peek();
        if (b != null && order.compare(a, b) > 0) {
            return outOfOrder.poll();
        }
        run[head] = null;
        head = (head + 1) & (run.length - 1);
        count--;
        return a;
    }

    int size() {
        return count + outOfOrder.size();
    }

    /** Drops the matching elements, compacting the run in place (it stays sorted). */
    void removeIf(Predicate<? super T> filter) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            T e = at(i);
            if (!filter.test(e)) {
                set(n++, e);
            }
        }
        for (int i = n; i < count; i++) {
            set(i, null);
        }
        count = n;
        outOfOrder.removeIf(filter);
    }

    /** All elements, smallest first. */
    List<T> sorted() {
        List<T> all = new ArrayList<>(size());
        for (int i = 0; i < count; i++) {
            all.add(at(i));
        }
        all.addAll(outOfOrder);
        all.sort(order);
        return all;
    }

    /**
     * Up to {@code max} elements that {@code keep} accepts and that sort after a position of the
     * order ({@code vsPosition} of an element: positive when it sorts after the position,
     * negative before, 0 at it), smallest first; with {@code ascending} false, the elements
     * before the position, largest first. Finds the position in the sorted run by binary search
     * and reads on from there; the few out-of-order elements are all looked at.
     */
    List<T> range(ToIntFunction<? super T> vsPosition, boolean ascending, int max, Predicate<? super T> keep) {
        List<T> out = new ArrayList<>(Math.min(max, 64));
        if (ascending) {
            for (int i = firstAbove(vsPosition, 0); i < count && out.size() < max; i++) {
                T e = at(i);
                if (keep.test(e)) {
                    out.add(e);
                }
            }
        } else {
            for (int i = firstAbove(vsPosition, -1) - 1; i >= 0 && out.size() < max; i--) {
                T e = at(i);
                if (keep.test(e)) {
                    out.add(e);
                }
            }
        }
        boolean mergedAny = false;
        for (T e : outOfOrder) {
            int side = vsPosition.applyAsInt(e);
            if ((ascending ? side > 0 : side < 0) && keep.test(e)) {
                out.add(e);
                mergedAny = true;
            }
        }
        if (mergedAny) {
            out.sort(ascending ? order : order.reversed());
            if (out.size() > max) {
                out.subList(max, out.size()).clear();
            }
        }
        return out;
    }

    /** The first run index whose element's {@code vsPosition} is above {@code bound} ({@code count} when none). */
    private int firstAbove(ToIntFunction<? super T> vsPosition, int bound) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (vsPosition.applyAsInt(at(mid)) > bound) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    @SuppressWarnings("unchecked") // only T is ever stored in the run
    private T at(int i) {
        return (T) run[(head + i) & (run.length - 1)];
    }

    private void set(int i, T element) {
        run[(head + i) & (run.length - 1)] = element;
    }

    private void grow() {
        Object[] bigger = new Object[run.length * 2];
        for (int i = 0; i < count; i++) {
            bigger[i] = at(i);
        }
        run = bigger;
        head = 0;
    }
}
