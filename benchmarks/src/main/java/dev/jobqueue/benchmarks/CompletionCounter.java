package dev.jobqueue.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts completion events until a target; {@link #await} gives up after an overall limit or after
 * a stretch without any new completion (the peers' {@code completionCounter}).
 */
final class CompletionCounter {
    private final int target;
    private final AtomicInteger count = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long lastAtNanos;
    private volatile long doneAtNanos;

    CompletionCounter(int target) {
        this.target = target;
    }

    void hit() {
        long now = System.nanoTime();
        lastAtNanos = now;
        if (count.incrementAndGet() == target) {
            doneAtNanos = now;
            done.countDown();
        }
    }

    int count() {
        return count.get();
    }

    int target() {
        return target;
    }

    /** When the last seen completion happened (0 when none). */
    long lastAtNanos() {
        return lastAtNanos;
    }

    /**
     * Waits for the target and returns the {@link System#nanoTime()} of the completion that reached it.
     *
     * @throws IllegalStateException when it gave up, saying how far it got
     */
    long await(long timeoutMs, long stallMs) throws InterruptedException {
        long start = System.nanoTime();
        while (!done.await(250, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long last = lastAtNanos == 0 ? start : Math.max(start, lastAtNanos);
            long sinceMs = (now - last) / 1_000_000;
            long totalMs = (now - start) / 1_000_000;
            if (totalMs > timeoutMs || sinceMs > stallMs) {
                throw new IllegalStateException("gave up after " + totalMs + " ms (" + sinceMs
                        + " ms without progress): " + count.get() + "/" + target + " completions");
            }
        }
        return doneAtNanos;
    }
}
