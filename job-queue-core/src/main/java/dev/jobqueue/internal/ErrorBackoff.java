package dev.jobqueue.internal;

/**
 * Bounded exponential pause between retries of a failing storage call, so a storage outage
 * neither kills a loop nor turns it into a busy spin. Not thread-safe: one per loop.
 */
final class ErrorBackoff {
    private static final long FIRST_MILLIS = 50;
    private static final long MAX_MILLIS = 5_000;

    private long nextMillis = FIRST_MILLIS;

    /** Sleeps the current pause and doubles the next one (capped). */
    void pause() throws InterruptedException {
        long millis = nextMillis;
        nextMillis = Math.min(MAX_MILLIS, nextMillis * 2);
        Thread.sleep(millis);
    }

    void reset() {
        nextMillis = FIRST_MILLIS;
    }
}
