package dev.jobqueue;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed job waits (in FAILING) before its next attempt: exponential with a cap and
 * jitter, fixed, or none. Immutable value type.
 *
 * <!-- snippet: backoff -->
 * <pre>{@code
 * Backoff b = Backoff.exponential(Duration.ofMillis(500), 2.0, Duration.ofMinutes(1), 0.2);
 * Queue.builder(storage, Order.class, Receipt.class).backoff(b).build();
 * }</pre>
 *
 * <p>The delay after failed attempt {@code n} (1-based) is {@code min(max, base * factor^(n-1))},
 * then reduced by a random fraction of up to {@code jitter} so that many jobs failing together do
 * not retry in lockstep.
 */
public final class Backoff {
    private static final Backoff NONE = new Backoff(Duration.ZERO, 1.0, Duration.ZERO, 0.0);
    private static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2);

    private final Duration base;
    private final double factor;
    private final Duration max;
    private final double jitter;

    private Backoff(Duration base, double factor, Duration max, double jitter) {
        this.base = base;
        this.factor = factor;
        this.max = max;
        this.jitter = jitter;
    }

    /**
     * Exponential backoff.
     *
     * @param base   delay after the first failed attempt (>= 0, at most 100 years)
     * @param factor growth per further attempt (>= 1)
     * @param max    cap (>= base, at most 100 years)
     * @param jitter fraction in [0, 1] by which each delay is randomly shortened
      * @return the backoff
      * @throws IllegalArgumentException when an argument is out of range or null
     */
    public static Backoff exponential(Duration base, double factor, Duration max, double jitter) {
        Arguments.nonNegative(base, "backoff base");
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("backoff factor must be a finite number >= 1, got " + factor);
        }
        Arguments.check(max != null && max.compareTo(base) >= 0, "backoff max must be >= base (" + base + "), got " + max);
        Arguments.nonNegative(max, "backoff max");
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("backoff jitter must be in [0, 1], got " + jitter);
        }
        return new Backoff(base, factor, max, jitter);
    }

    /**
     * The same delay after every failed attempt, without jitter.
     *
     * @param delay the wait before every retry (&gt;= 0, at most 100 years)
     * @return the backoff
     */
    public static Backoff fixed(Duration delay) {
        Arguments.nonNegative(delay, "backoff delay");
        return new Backoff(delay, 1.0, delay, 0.0);
    }

    /**
     * Retry at once.
     *
     * @return the shared backoff with zero delay
     */
    public static Backoff none() {
        return NONE;
    }

    /**
     * The default: 1 s base, doubling, capped at 5 minutes, 20 % jitter.
     *
     * @return the shared default backoff
     */
    public static Backoff defaultBackoff() {
        return DEFAULT;
    }

    /**
     * The upper bound of the delay after failed attempt {@code attempt} (1-based), before jitter.
     *
     * @param attempt the number of the attempt that failed, &gt;= 1
     * @return {@code min(max, base * factor^(attempt-1))}
     */
    public Duration maxDelayFor(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
        double nanos = base.toNanos() * Math.pow(factor, attempt - 1);
        long capNanos = max.toNanos();
        return Duration.ofNanos(nanos >= capNanos ? capNanos : (long) nanos);
    }

    /**
     * The delay to wait after failed attempt {@code attempt} (1-based), jitter applied.
     *
     * @param attempt the number of the attempt that failed, &gt;= 1
     * @return a random delay between {@code (1 - jitter)} times and the whole of {@link #maxDelayFor}
     */
    public Duration delayFor(int attempt) {
        Duration upper = maxDelayFor(attempt);
        if (jitter == 0.0 || upper.isZero()) {
            return upper;
        }
        double shortenBy = jitter * ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos((long) (upper.toNanos() * (1.0 - shortenBy)));
    }

    /**
     * Delay after the first failed attempt, before jitter.
     *
     * @return the base delay
     */
    public Duration base() {
        return base;
    }

    /**
     * How much the delay grows with each further failed attempt.
     *
     * @return the factor, &gt;= 1 (1 for fixed and no backoff)
     */
    public double factor() {
        return factor;
    }

    /**
     * Cap on the delay, before jitter.
     *
     * @return the largest delay
     */
    public Duration max() {
        return max;
    }

    /**
     * Fraction by which each delay is randomly shortened.
     *
     * @return the jitter, in [0, 1]
     */
    public double jitter() {
        return jitter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Backoff b && base.equals(b.base) && factor == b.factor && max.equals(b.max)
                && jitter == b.jitter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, factor, max, jitter);
    }

    @Override
    public String toString() {
        return "Backoff[base=" + base + ", factor=" + factor + ", max=" + max + ", jitter=" + jitter + "]";
    }
}
