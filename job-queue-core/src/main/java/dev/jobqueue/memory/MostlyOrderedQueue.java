package dev.jobqueue.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A priority queue tuned for input that mostly arrives in order: lease deadlines and expiries
 * with the same duration, jobs of one priority in enqueue order. Elements go to a sorted run (a
 * ring buffer): appended in O(1) when in order, or slotted in a few places from its tail when they
 * are only slightly late, as happens when concurrent callers compute their times or sequences
 * first and take the lock in another order. Only elements later than that go to a sorted tree
 * (higher priorities arriving after lower ones, requeued jobs keeping their place). Polling takes
 * the smaller of the two heads; {@link #range} finds a position in both by search, so listing a
 * page costs the page, not the queue. The order must be total: no two distinct elements compare
 * equal. Not thread-safe: owners guard it with their lock.
 */
final class MostlyOrderedQueue<T> {
    /** How far from the run's tail a late element may still be slotted in (a few racing callers' worth). */
    private static final int REORDER_WINDOW = 32;

    private final Comparator<? super T> order;
    /** The sorted run: element i (from the head) sits at {@code run[(head + i) & (run.length - 1)]}. */
    private Object[] run = new Object[16];
    private int head;
    private int count;
    private final NavigableSet<T> outOfOrder;

    MostlyOrderedQueue(Comparator<? super T> order) {
        this.order = order;
        this.outOfOrder = new TreeSet<>(order);
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
        T b = outOfOrder.isEmpty() ? null : outOfOrder.first();
        if (a == null) {
            return b;
        }
        return b == null || order.compare(a, b) <= 0 ? a : b;
    }

    /** Removes and returns the smallest element, or null when empty. */
    T poll() {
        if (count == 0) {
            return outOfOrder.pollFirst();
        }
        T a = at(0);
        if (!outOfOrder.isEmpty() && order.compare(a, outOfOrder.first()) > 0) {
            return outOfOrder.pollFirst();
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
     * Up to {@code max} elements that {@code keep} accepts and that sort after {@code position}
     * (null: from the start), smallest first; with {@code ascending} false, the elements before
     * it, largest first. The position is found by binary search in the run and by the tree's
     * search; each side is read from there until {@code max} elements are kept.
     */
    List<T> range(T position, boolean ascending, int max, Predicate<? super T> keep) {
        List<T> out = new ArrayList<>(Math.min(max, 64));
        if (ascending) {
            for (int i = position == null ? 0 : firstAfter(position, true); i < count && out.size() < max; i++) {
                T e = at(i);
                if (keep.test(e)) {
                    out.add(e);
                }
            }
        } else {
            for (int i = (position == null ? count : firstAfter(position, false)) - 1; i >= 0 && out.size() < max; i--) {
                T e = at(i);
                if (keep.test(e)) {
                    out.add(e);
                }
            }
        }
        NavigableSet<T> side = position == null ? outOfOrder
                : ascending ? outOfOrder.tailSet(position, false) : outOfOrder.headSet(position, false);
        int fromTree = 0;
        for (T e : ascending ? side : side.descendingSet()) {
            if (fromTree >= max) {
                break;
            }
            if (keep.test(e)) {
                out.add(e);
                fromTree++;
            }
        }
        if (fromTree > 0) {
            out.sort(ascending ? order : order.reversed());
            if (out.size() > max) {
                out.subList(max, out.size()).clear();
            }
        }
        return out;
    }

    /**
     * The first run index whose element sorts after {@code position} ({@code strictly}) or at or
     * after it; {@code count} when none.
     */
    private int firstAfter(T position, boolean strictly) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = order.compare(at(mid), position);
            if (strictly ? c > 0 : c >= 0) {
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
