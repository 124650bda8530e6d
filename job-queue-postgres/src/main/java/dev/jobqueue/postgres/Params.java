package dev.jobqueue.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;

/**
 * Binding of statement parameters and the time conversions of the flow-control and schedule
 * statements ({@link FlowControl}, {@link Schedules}): every time is epoch milliseconds, clamped
 * so that sums never overflow, as in {@link PostgresStorage}.
 */
final class Params {
    /** Durations and instants are clamped to this many milliseconds (about 31,000 years). */
    static final long MAX_MILLIS = 1_000_000_000_000_000L;

    private Params() {
    }

    /** Binds {@code values} in order; a null is typed by the statement's CAST. */
    static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                ps.setNull(i + 1, Types.OTHER);
            } else if (v instanceof byte[] bytes) {
                ps.setBytes(i + 1, bytes);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }

    static long millis(Duration d) {
        try {
            return clamp(d.toMillis());
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? -MAX_MILLIS : MAX_MILLIS;
        }
    }

    static long clamp(long ms) {
        return Math.max(-MAX_MILLIS, Math.min(MAX_MILLIS, ms));
    }

    /** The millisecond of {@code t} (rounded down), clamped. */
    static long epochMillis(Instant t) {
        long seconds = Math.max(-MAX_MILLIS / 1000, Math.min(MAX_MILLIS / 1000, t.getEpochSecond()));
        return seconds * 1000 + t.getNano() / 1_000_000;
    }

    /** The nanoseconds of {@code t} within its millisecond: {@link #epochMillis} plus these give {@code t} back. */
    static int nanosOfMilli(Instant t) {
        return t.getNano() % 1_000_000;
    }

    static Instant instant(long epochMillis, int nanosOfMilli) {
        return Instant.ofEpochMilli(epochMillis).plusNanos(nanosOfMilli);
    }
}
