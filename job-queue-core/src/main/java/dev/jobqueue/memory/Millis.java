package dev.jobqueue.memory;

import java.time.Duration;
import java.time.Instant;

/**
 * Millisecond arithmetic for deadlines. Times are kept as epoch milliseconds (the precision the
 * other storages keep too), and sums saturate instead of overflowing so a huge TTL means "forever".
 */
final class Millis {
    /** Marks "no such time" in a record field. */
    static final long NONE = Long.MIN_VALUE;

    private Millis() {
    }

    static long plus(long epochMillis, Duration amount) {
        long add;
        try {
            add = amount.toMillis();
        } catch (ArithmeticException tooLong) {
            return amount.isNegative() ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
        }
        long sum = epochMillis + add;
        // Overflow iff both operands have the sign opposite to the result's.
        if (((epochMillis ^ sum) & (add ^ sum)) < 0) {
            return add > 0 ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
        }
        return sum;
    }

    static Instant toInstant(long epochMillis) {
        return epochMillis == NONE ? null : Instant.ofEpochMilli(epochMillis);
    }
}
