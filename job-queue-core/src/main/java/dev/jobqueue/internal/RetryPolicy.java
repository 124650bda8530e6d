package dev.jobqueue.internal;

import dev.jobqueue.NonRetryableException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which failures may be retried: not a {@link NonRetryableException}, not an instance of a
 * {@code nonRetryable} class, and accepted by {@code retryIf} (when set). A predicate that throws
 * counts as "retry" (the usual behaviour) and is logged by the caller.
 */
public final class RetryPolicy {
    private final Predicate<Throwable> retryIf;
    private final List<Class<? extends Throwable>> nonRetryable;

    public RetryPolicy(Predicate<Throwable> retryIf, List<Class<? extends Throwable>> nonRetryable) {
        this.retryIf = retryIf;
        this.nonRetryable = List.copyOf(nonRetryable);
    }

    /** Whether {@code failure} may be retried when attempts are left. */
    public boolean retryable(Throwable failure) {
        if (failure instanceof NonRetryableException) {
            return false;
        }
        for (Class<? extends Throwable> c : nonRetryable) {
            if (c.isInstance(failure)) {
                return false;
            }
        }
        return retryIf == null || retryIf.test(failure);
    }
}
