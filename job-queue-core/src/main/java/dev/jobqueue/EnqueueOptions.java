package dev.jobqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Per-job options for {@link Queue#enqueue(String, Object, EnqueueOptions)}. Immutable: every
 * {@code with...} method returns a new instance. Unset options take the queue's defaults. For a
 * duplicate id the options of the first accepted enqueue stand.
 *
 * <pre>{@code
 * queue.enqueue("report-7", request, EnqueueOptions.defaults()
 *         .withDelay(Duration.ofMinutes(5))
 *         .withPriority(10)
 *         .withResultTtl(Duration.ofDays(1)));
 * }</pre>
 */
public final class EnqueueOptions {
    private static final EnqueueOptions DEFAULTS = new EnqueueOptions(null, null, 0, null, null);

    private final Duration delay;
    private final Instant runAt;
    private final int priority;
    private final Integer maxAttempts;
    private final Duration resultTtl;

    private EnqueueOptions(Duration delay, Instant runAt, int priority, Integer maxAttempts, Duration resultTtl) {
        this.delay = delay;
        this.runAt = runAt;
        this.priority = priority;
        this.maxAttempts = maxAttempts;
        this.resultTtl = resultTtl;
    }

    /** No option set: run at once, priority 0, the queue's maxAttempts and resultTtl. */
    public static EnqueueOptions defaults() {
        return DEFAULTS;
    }

    /** Run no earlier than {@code delay} from now (>= 0). Replaces a {@code runAt}. */
    public EnqueueOptions withDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
        return new EnqueueOptions(delay, null, priority, maxAttempts, resultTtl);
    }

    /** Run no earlier than {@code runAt} (storage time). Replaces a {@code delay}. */
    public EnqueueOptions withRunAt(Instant runAt) {
        if (runAt == null) {
            throw new IllegalArgumentException("runAt must not be null");
        }
        return new EnqueueOptions(null, runAt, priority, maxAttempts, resultTtl);
    }

    /** Higher runs first; FIFO within one priority. Default 0; negative values are allowed. */
    public EnqueueOptions withPriority(int priority) {
        return new EnqueueOptions(delay, runAt, priority, maxAttempts, resultTtl);
    }

    /** Attempts allowed for this job (>= 1). */
    public EnqueueOptions withMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        return new EnqueueOptions(delay, runAt, priority, maxAttempts, resultTtl);
    }

    /** How long this job's result or error is kept once terminal (> 0). */
    public EnqueueOptions withResultTtl(Duration resultTtl) {
        Arguments.check(Arguments.positive(resultTtl), "resultTtl must be > 0, got " + resultTtl);
        return new EnqueueOptions(delay, runAt, priority, maxAttempts, resultTtl);
    }

    /** The delay, or {@code null} when not set. */
    public Duration delay() {
        return delay;
    }

    /** The absolute run time, or {@code null} when not set. */
    public Instant runAt() {
        return runAt;
    }

    public int priority() {
        return priority;
    }

    /** The attempts allowed, or {@code null} for the queue's default. */
    public Integer maxAttempts() {
        return maxAttempts;
    }

    /** The result TTL, or {@code null} for the queue's default. */
    public Duration resultTtl() {
        return resultTtl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnqueueOptions e && Objects.equals(delay, e.delay) && Objects.equals(runAt, e.runAt)
                && priority == e.priority && Objects.equals(maxAttempts, e.maxAttempts)
                && Objects.equals(resultTtl, e.resultTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(delay, runAt, priority, maxAttempts, resultTtl);
    }

    @Override
    public String toString() {
        return "EnqueueOptions[delay=" + delay + ", runAt=" + runAt + ", priority=" + priority
                + ", maxAttempts=" + maxAttempts + ", resultTtl=" + resultTtl + "]";
    }
}
