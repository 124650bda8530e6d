package dev.jobqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * Flow control for one queue, enforced by the storage across every worker of every process and
 * host that serves the queue: at most {@link #maxRunning()} jobs PROCESSING at once, and at most
 * {@link #rateLimit()} jobs started (claimed) in any window of {@link #ratePeriod()}. Zero means
 * no limit. Limits are durable settings of the storage, like the pause flag: the last writer wins.
 *
 * <!-- snippet: queue-limits -->
 * <pre>{@code
 * // at most 4 running at once across all hosts, at most 100 starts per minute
 * QueueLimits limits = QueueLimits.NONE.withMaxRunning(4).withRate(100, Duration.ofMinutes(1));
 * storage.setLimits("emails", limits);
 * }</pre>
 *
 * @param maxRunning the most jobs of the queue PROCESSING at once (claimed jobs count, also those a
 *                   worker claimed ahead and has not started); 0 for no limit
 * @param rateLimit  the most jobs claimed in any window of {@code ratePeriod}; 0 for no limit
 * @param ratePeriod the window of the rate limit, from 1 ms to 1 day; {@code null} exactly when
 *                   {@code rateLimit} is 0
 */
public record QueueLimits(int maxRunning, int rateLimit, Duration ratePeriod) {
    /** No limit. */
    public static final QueueLimits NONE = new QueueLimits(0, 0, null);

    /** The longest rate window. */
    public static final Duration MAX_RATE_PERIOD = Duration.ofDays(1);

    /**
     * Checks the limits.
     *
     * @param maxRunning see {@link #maxRunning()}
     * @param rateLimit see {@link #rateLimit()}
     * @param ratePeriod see {@link #ratePeriod()}
     * @throws IllegalArgumentException naming the option when a limit is negative, or the period
     *         is missing, not positive, longer than {@link #MAX_RATE_PERIOD} or given without a rate
     */
    public QueueLimits {
        if (maxRunning < 0) {
            throw new IllegalArgumentException("maxRunning must be >= 0 (0: no limit), got " + maxRunning);
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("rateLimit must be >= 0 (0: no limit), got " + rateLimit);
        }
        if (rateLimit == 0 && ratePeriod != null) {
            throw new IllegalArgumentException("ratePeriod must be null when rateLimit is 0, got " + ratePeriod);
        }
        if (rateLimit > 0) {
            Objects.requireNonNull(ratePeriod, "ratePeriod must be set when rateLimit > 0");
            if (ratePeriod.toMillis() < 1 || ratePeriod.compareTo(MAX_RATE_PERIOD) > 0) {
                throw new IllegalArgumentException("ratePeriod must be from 1 ms to 1 day, got " + ratePeriod);
            }
        }
    }

    /**
     * These limits with another concurrency limit.
     *
     * @param maxRunning the most jobs running at once; 0 for no limit
     * @return the new limits
     */
    public QueueLimits withMaxRunning(int maxRunning) {
        return new QueueLimits(maxRunning, rateLimit, ratePeriod);
    }

    /**
     * These limits with another rate limit.
     *
     * @param rateLimit the most jobs started per {@code ratePeriod}; &gt;= 1
     * @param ratePeriod the window, from 1 ms to 1 day
     * @return the new limits
     */
    public QueueLimits withRate(int rateLimit, Duration ratePeriod) {
        if (rateLimit < 1) {
            throw new IllegalArgumentException("rateLimit must be >= 1, got " + rateLimit + " (use withoutRate() to remove it)");
        }
        return new QueueLimits(maxRunning, rateLimit, ratePeriod);
    }

    /**
     * These limits without a rate limit.
     *
     * @return the new limits
     */
    public QueueLimits withoutRate() {
        return new QueueLimits(maxRunning, 0, null);
    }

    /** @return true when neither limit is set */
    public boolean isUnlimited() {
        return maxRunning == 0 && rateLimit == 0;
    }
}
