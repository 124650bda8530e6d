package dev.jobqueue.postgres;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where claims with nothing to take wait, per queue, without holding a connection: a version
 * number each, bumped (waking every waiter of that queue) by a wake-up notification from the
 * database, by a reconnect of the notification connection (wake-ups may have been missed) and by
 * {@link #wakeAll} on close. A claimer reads the version before it looks for work, so a wake-up
 * that arrives while it looks is never lost.
 */
final class IdleClaimers {
    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

    Signal of(String queue) {
        return signals.computeIfAbsent(queue, q -> new Signal());
    }

    void wake(String queue) {
        Signal s = signals.get(queue);
        if (s != null) {
            s.bump();
        }
    }

    void wakeAll() {
        signals.values().forEach(Signal::bump);
    }

    /** One queue's wake-up counter. */
    static final class Signal {
        private long version;

        synchronized long version() {
            return version;
        }

        synchronized void bump() {
            version++;
            notifyAll();
        }

        /** Waits until the version moves past {@code seen} or {@code nanos} pass. */
        synchronized void await(long seen, long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            long remaining = nanos;
            while (version == seen && remaining > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
                remaining = deadline - System.nanoTime();
            }
        }
    }
}
