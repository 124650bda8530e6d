package dev.jobqueue.contract;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it with a generous deadline; never a fixed sleep as synchronization. */
public final class Eventually {
    /** Generous on purpose: tests share 2 cores with other builds. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);

    private Eventually() {
    }

    /**
     * Polls {@code condition} until it holds, failing after {@link #DEFAULT_DEADLINE}.
     *
     * @param what describes the condition in the failure message
     * @param condition the condition
     */
    public static void await(String what, BooleanSupplier condition) {
        await(what, DEFAULT_DEADLINE, condition);
    }

    /**
     * Polls {@code condition} until it holds, failing after {@code deadline}.
     *
     * @param what describes the condition in the failure message
     * @param deadline how long to poll
     * @param condition the condition
     */
    public static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + deadline + " waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
