package dev.jobqueue.internal;

import java.util.function.Supplier;

/**
 * Repeats a worker's storage write until the storage answers: an outcome computed by a handler
 * must not be dropped because the storage blinked. Pauses with a bounded exponential backoff
 * between tries; gives up after {@code maxTries} or on an interrupt (forced shutdown), in which
 * case the job's lease expires and a reaper requeues it (at-least-once).
 */
final class StorageRetries {
    private StorageRetries() {
    }

    /**
     * The call's answer, or null when given up.
     *
     * @param what names the write in logs, e.g. "complete of job 42"
     */
    static <T> T call(QueueSettings<?, ?> s, String what, int maxTries, Supplier<T> call) {
        ErrorBackoff backoff = null; // only a failing call needs one
        for (int tries = 1; ; tries++) {
            try {
                return call.get();
            } catch (UnsupportedOperationException e) {
                throw e; // never transient: a storage without the operation (snooze, say) must not be retried for ever
            } catch (RuntimeException e) {
                s.logger().warn("storage {} failed (try {})", what, tries, e);
                s.listener().error(e);
                if (tries >= maxTries) {
                    s.logger().warn("gave up the {}; its lease will expire and a reaper requeues the job", what);
                    return null;
                }
                if (backoff == null) {
                    backoff = new ErrorBackoff();
                }
                try {
                    backoff.pause();
                } catch (InterruptedException ie) {
                    s.logger().warn("gave up the {} on interrupt; its lease will expire and a reaper requeues the job", what);
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }
}
