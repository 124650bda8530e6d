package dev.jobqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The argument checks of the public API; each failure is an {@link IllegalArgumentException}
 * naming the argument.
 *
 * <p>Ceilings: a duration that ends up in a storage deadline (TTLs, delays, leases, backoff,
 * reaper intervals and locks) may be at most {@link #MAX_DURATION} (100 years), so that "now +
 * duration" fits every storage's epoch-millisecond arithmetic and a duration's nanoseconds fit a
 * {@code long}; a run time must lie in [{@link #MIN_RUN_AT}, {@link #MAX_RUN_AT}]. A wait
 * (enqueueAndWait timeouts, stop graces) is clamped to {@link #MAX_DURATION} instead: waiting 100
 * years is waiting forever, and {@code ChronoUnit.FOREVER.getDuration()} should just work.
 */
final class Arguments {
    /** 100 years: far beyond any useful TTL or lease, far below where nanosecond arithmetic overflows. */
    static final Duration MAX_DURATION = Duration.ofDays(36_500);
    static final Instant MIN_RUN_AT = Instant.EPOCH;
    static final Instant MAX_RUN_AT = Instant.parse("9999-12-31T23:59:59Z");

    /** Queue names end up inside Redis hash tags and file names. */
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private Arguments() {
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static <T> T notNull(T value, String name) {
        check(value != null, name + " must not be null");
        return value;
    }

    /** A duration in (0, {@link #MAX_DURATION}]. */
    static Duration positive(Duration d, String name) {
        check(d != null && !d.isNegative() && !d.isZero(), name + " must be > 0, got " + d);
        return atMostMax(d, name);
    }

    /** A duration in [0, {@link #MAX_DURATION}]. */
    static Duration nonNegative(Duration d, String name) {
        check(d != null && !d.isNegative(), name + " must be >= 0, got " + d);
        return atMostMax(d, name);
    }

    /** A positive wait, clamped to {@link #MAX_DURATION}. */
    static Duration positiveWait(Duration d, String name) {
        check(d != null && !d.isNegative() && !d.isZero(), name + " must be > 0, got " + d);
        return clamped(d);
    }

    /** A non-negative wait, clamped to {@link #MAX_DURATION}. */
    static Duration nonNegativeWait(Duration d, String name) {
        check(d != null && !d.isNegative(), name + " must be >= 0, got " + d);
        return clamped(d);
    }

    static Instant runAt(Instant runAt, String name) {
        check(runAt != null, name + " must not be null");
        check(!runAt.isBefore(MIN_RUN_AT) && !runAt.isAfter(MAX_RUN_AT),
                name + " must be between " + MIN_RUN_AT + " and " + MAX_RUN_AT + ", got " + runAt);
        return runAt;
    }

    private static Duration atMostMax(Duration d, String name) {
        check(d.compareTo(MAX_DURATION) <= 0, name + " must be at most " + MAX_DURATION + " (100 years), got " + d);
        return d;
    }

    private static Duration clamped(Duration d) {
        return d.compareTo(MAX_DURATION) > 0 ? MAX_DURATION : d;
    }

    static String nonBlank(String value, String name) {
        check(value != null && !value.isBlank(), name + " must be a non-blank string, got "
                + (value == null ? null : "'" + value + "'"));
        return value;
    }

    static String queueName(String name) {
        check(name != null && QUEUE_NAME.matcher(name).matches(),
                "name must match [A-Za-z0-9._-]{1,128}, got " + (name == null ? null : "'" + name + "'"));
        return name;
    }
}
